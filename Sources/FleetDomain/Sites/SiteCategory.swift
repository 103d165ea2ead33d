/// The site categories of notice 运安办发〔2022〕25号 (spec/profiles.md), plus `default`, the key of the
/// fleet-wide profile that applies when nothing more specific is assigned.
///
/// The raw values are the profile keys of the spec, so a category reads and writes as the spec spells it.
public enum SiteCategory: String, Sendable, Codable, CaseIterable, Hashable {
    case commerce
    case entertainmentCateringWarehouse = "entertainment-catering-warehouse"
    case careCultureReligion = "care-culture-religion"
    case hazardousChemicals = "hazardous-chemicals"
    case rentalOldHousing = "rental-old-housing"
    case labourIntensiveIndustry = "labour-intensive-industry"
    case bankHospitalSchool = "bank-hospital-school"
    case crowdedVenues = "crowded-venues"
    case evCharging = "ev-charging"
    case ruralTourism = "rural-tourism"
    /// Not a category of the notice: the profile used when a device's site has none of its own.
    case `default`

    /// The ten categories of the notice, without `default`.
    public static let noticeCategories: [SiteCategory] = allCases.filter { $0 != .default }

    /// What the category covers, as the notice lists it.
    public var summary: String {
        switch self {
        case .commerce: "shopping malls and markets, hotels and restaurants, office buildings"
        case .entertainmentCateringWarehouse: "public entertainment, catering, warehousing and logistics"
        case .careCultureReligion: "elderly-care and welfare institutions, cultural heritage sites, religious sites"
        case .hazardousChemicals: "production, storage and sale of hazardous chemicals"
        case .rentalOldHousing: "self-built houses rented out for business, old residential compounds"
        case .labourIntensiveIndustry:
            "wood, furniture, crafts, textile, garment, shoe and hat, car-trim works; dust, ammonia, spray-painting works"
        case .bankHospitalSchool: "banks, hospitals, schools"
        case .crowdedVenues: "museums, libraries, cinemas, theatres"
        case .evCharging: "charging piles in residential compounds and e-bike charging stations"
        case .ruralTourism: "agritourism, rural and industrial tourism sites"
        case .default: "the fleet-wide default profile"
        }
    }
}
