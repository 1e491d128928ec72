/// The version of Lapse: `lapse --version` and the reports' footer.
public enum LapseVersion {
    public static let current = "0.1.0"
}
