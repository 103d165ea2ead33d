/// The "basis" column of spec/profiles.md: where each bound comes from, quoted in violations so an admin
/// sees why a value is refused.
public enum ProfileBasis {
    public static let siteCategory = "notice 运安办发〔2022〕25号"
    public static let leakageLevels = "GB 50116-2013 §9.2.3 (300–500 mA), GB 51348-2019 §13.5.6 (300 mA)"
    public static let leakageDelay = "[vendor]"
    public static let temperatureLevels = "GB 51348-2019 §13.5.6 (70–80 % of the cable maximum)"
    public static let arc = "GB 50166-2019 §4.8.6: alarm at ≥ 14 in 1 s, none at ≤ 9"
    public static let overload = "IEC 60898-1 (1.13× / 1.45×), [vendor]"
    public static let shortCircuit = "IEC 60898-1 bands B 3–5, C 5–10, D 10–20"
    public static let overVoltage = "GB/T 12325 (198–235.4 V), [vendor]"
    public static let autoReclose = "[vendor]; only after a voltage trip"
    public static let power = "[vendor]; on for rentals and charging stations"
    public static let telemetryInterval = "[design]"
    public static let heartbeat = "[design]; offline after 3 missed"
}
