import Hummingbird

/// Which methods each declared path allows, to tell a wrong method (405) from an unknown path (404):
/// Hummingbird's router answers both with the same not-found error.
struct RouteIndex: Sendable {
    private struct Entry: Sendable {
        var segments: [Substring]
        var methods: Set<HTTPRequest.Method>
    }

    private var entries: [Entry] = []

    init(_ routes: [Route]) {
        for route in routes {
            let segments = Self.components(route.path)
            if let index = entries.firstIndex(where: { $0.segments == segments }) {
                entries[index].methods.insert(route.method)
            } else {
                entries.append(Entry(segments: segments, methods: [route.method]))
            }
        }
    }

    /// The methods allowed on `path`, sorted; empty when no route matches it. HEAD is listed wherever GET
    /// is, as the router answers it for every GET route.
    func allowedMethods(forPath path: String) -> [HTTPRequest.Method] {
        let requested = Self.components(path)
        var allowed = Set<HTTPRequest.Method>()
        for entry in entries where Self.matches(entry.segments, requested) {
            allowed.formUnion(entry.methods)
        }
        if allowed.contains(.get) { allowed.insert(.head) }
        return allowed.sorted { $0.rawValue < $1.rawValue }
    }

    /// Path components the way the router sees them: empty components (`//`) are dropped.
    static func components(_ path: some StringProtocol) -> [Substring] {
        String(path).split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        pattern.count == path.count && zip(pattern, path).allSatisfy { expected, actual in
            expected.hasPrefix("{") || expected.hasPrefix(":") || expected == actual
        }
    }
}
