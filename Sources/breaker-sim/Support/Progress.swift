import Foundation

/// Progress and notes go to stderr, so stdout carries only the result (the table or the JSON).
enum Progress {
    static func line(_ text: String) {
        FileHandle.standardError.write(Data("\(text)\n".utf8))
    }

    /// Rewrites the current stderr line (the ramp-up counter).
    static func update(_ text: String) {
        FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8))
    }
}

/// Monotonic nanoseconds, the clock the whole run measures with.
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// CPU seconds this process has used (user + system), for the client's own cost per request.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Sleeps in small steps so SIGINT/SIGTERM (which set `interrupted`) end the wait early.
func pause(seconds: Double, unless interrupted: () -> Bool) async {
    let end = monotonicNanoseconds() + UInt64(max(0, seconds) * 1e9)
    while monotonicNanoseconds() < end && !interrupted() {
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
}

extension RunControl {
    /// Waits out the warm-up, then the measured window (until `windowEnd` or an interrupt); returns when it
    /// ended and the process CPU seconds spent in it, and stops new work.
    func measureWindow(warmup: Double) async -> (end: UInt64, cpuSeconds: Double) {
        await pause(seconds: warmup) { isInterrupted }
        let cpuStart = processCPUSeconds()
        while monotonicNanoseconds() < windowEnd.load(ordering: .relaxed) && !isInterrupted {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        let end = min(monotonicNanoseconds(), windowEnd.load(ordering: .relaxed))
        let cpu = processCPUSeconds() - cpuStart
        stopping.store(true, ordering: .relaxed)
        return (end, cpu)
    }

    /// Waits up to `seconds` for `outstanding` to reach 0 (requests or handshakes still in progress).
    func drain(for seconds: Double, _ outstanding: () -> Int) async {
        let grace = monotonicNanoseconds() + UInt64(seconds * 1e9)
        while outstanding() > 0 && monotonicNanoseconds() < grace {
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
    }
}
