import FleetDomain

/// The daily load of a site as a fraction of the breaker's rated current, by local hour.
///
/// Shapes, not measurements: shops open 9–21, restaurants peak at meals and evenings, factories run one
/// day shift, charging stations draw at night, homes peak in the evening. Every value stays below the
/// default overload warning (85 %), so a healthy simulated site never alarms on its own.
public enum LoadCurve {
    /// The fraction of rated current at `localHour` (0 ..< 24), interpolated between whole hours.
    public static func fraction(_ category: SiteCategory, localHour: Double) -> Double {
        let table = hourly(category)
        let hour = localHour.truncatingRemainder(dividingBy: 24)
        let wrapped = hour < 0 ? hour + 24 : hour
        let index = Int(wrapped)
        let next = (index + 1) % 24
        let weight = wrapped - Double(index)
        return table[index] * (1 - weight) + table[next] * weight
    }

    /// 24 values, hour 0 to 23.
    public static func hourly(_ category: SiteCategory) -> [Double] {
        switch category {
        case .commerce:
            [0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.10, 0.15, 0.30, 0.55, 0.60, 0.62,
             0.65, 0.65, 0.62, 0.62, 0.63, 0.66, 0.70, 0.70, 0.65, 0.45, 0.15, 0.10]
        case .entertainmentCateringWarehouse:
            [0.40, 0.30, 0.20, 0.12, 0.10, 0.10, 0.12, 0.20, 0.25, 0.30, 0.40, 0.62,
             0.70, 0.55, 0.40, 0.38, 0.45, 0.65, 0.75, 0.78, 0.76, 0.72, 0.65, 0.50]
        case .careCultureReligion:
            [0.15, 0.15, 0.15, 0.15, 0.15, 0.18, 0.25, 0.32, 0.35, 0.36, 0.36, 0.38,
             0.36, 0.34, 0.34, 0.35, 0.36, 0.38, 0.40, 0.38, 0.32, 0.25, 0.18, 0.16]
        case .hazardousChemicals:
            [0.48, 0.48, 0.47, 0.47, 0.47, 0.48, 0.52, 0.58, 0.62, 0.63, 0.63, 0.62,
             0.58, 0.62, 0.63, 0.63, 0.62, 0.58, 0.52, 0.50, 0.49, 0.49, 0.48, 0.48]
        case .rentalOldHousing:
            [0.12, 0.10, 0.10, 0.10, 0.10, 0.12, 0.25, 0.38, 0.30, 0.22, 0.20, 0.28,
             0.35, 0.25, 0.20, 0.20, 0.22, 0.35, 0.55, 0.62, 0.60, 0.52, 0.35, 0.18]
        case .labourIntensiveIndustry:
            [0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.12, 0.35, 0.70, 0.74, 0.75, 0.72,
             0.40, 0.70, 0.75, 0.75, 0.72, 0.60, 0.20, 0.12, 0.10, 0.10, 0.10, 0.10]
        case .bankHospitalSchool:
            [0.22, 0.20, 0.20, 0.20, 0.20, 0.22, 0.28, 0.45, 0.58, 0.62, 0.63, 0.62,
             0.55, 0.58, 0.62, 0.62, 0.58, 0.45, 0.35, 0.32, 0.30, 0.28, 0.25, 0.22]
        case .crowdedVenues:
            [0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.10, 0.25, 0.45, 0.50, 0.52,
             0.52, 0.52, 0.55, 0.55, 0.55, 0.55, 0.60, 0.62, 0.62, 0.50, 0.20, 0.10]
        case .evCharging:
            [0.75, 0.75, 0.72, 0.65, 0.55, 0.40, 0.28, 0.22, 0.20, 0.20, 0.22, 0.25,
             0.28, 0.25, 0.22, 0.22, 0.25, 0.30, 0.40, 0.50, 0.60, 0.68, 0.72, 0.75]
        case .ruralTourism:
            [0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.12, 0.20, 0.35, 0.42, 0.45, 0.55,
             0.58, 0.45, 0.42, 0.42, 0.45, 0.55, 0.62, 0.60, 0.50, 0.35, 0.18, 0.12]
        case .default:
            [0.15, 0.14, 0.14, 0.14, 0.14, 0.15, 0.22, 0.32, 0.42, 0.45, 0.46, 0.48,
             0.50, 0.46, 0.45, 0.45, 0.47, 0.52, 0.58, 0.60, 0.55, 0.42, 0.28, 0.18]
        }
    }
}
