import Foundation

/// Where `swift build` put the package's executables, for tests that run them as real processes.
public enum BuiltProducts {
    /// The package root, found from this file's location.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `BREAKERFLEET_BIN_DIR`, else the folder holding the running test bundle (`.build/debug`).
    public static var directory: URL {
        if let dir = ProcessInfo.processInfo.environment["BREAKERFLEET_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent(), packageRoot.appendingPathComponent(".build/debug")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("breakerfleet").path) }
            ?? packageRoot.appendingPathComponent(".build/debug")
    }

    public static func executable(_ name: String) -> URL { directory.appendingPathComponent(name) }
}
