import FleetDomain
import Foundation
import GRDB
import GRDBSQLite

/// The one statement ingest runs for every pack, bound through SQLite's C API. GRDB's
/// `execute(arguments:)` builds an array of existential values and copies the body into `Data` per call,
/// which took about a sixth of the store writer's time under load; here the serial and body are bound in
/// place (SQLITE_STATIC: they outlive the step) and the bindings are cleared before they go out of scope.
struct TelemetryInsert {
    private let statement: Statement

    init(_ db: Database) throws {
        statement = try db.cachedStatement(sql: """
            INSERT INTO telemetry (serial, journal_segment, journal_offset, received_at, body)
            VALUES (?, ?, ?, ?, ?)
            """)
    }

    func insert(serial: String, position: JournalPosition, receivedAt: Double, body: [UInt8], in db: Database) throws {
        let handle = statement.sqliteStatement
        let result = serial.withCString { serialText in
            body.withUnsafeBytes { bytes -> Int32 in
                defer {
                    sqlite3_reset(handle)
                    sqlite3_clear_bindings(handle)
                }
                // A failed bind (SQLITE_TOOBIG, SQLITE_NOMEM, …) must not step: the row would go in with NULLs.
                var bound = sqlite3_bind_text(handle, 1, serialText, -1, nil)
                if bound == SQLITE_OK { bound = sqlite3_bind_int64(handle, 2, position.columnSegment) }
                if bound == SQLITE_OK { bound = sqlite3_bind_int64(handle, 3, position.columnOffset) }
                if bound == SQLITE_OK { bound = sqlite3_bind_double(handle, 4, receivedAt) }
                if bound == SQLITE_OK {
                    bound = bytes.baseAddress.map { sqlite3_bind_blob(handle, 5, $0, Int32(clamping: bytes.count), nil) }
                        ?? sqlite3_bind_zeroblob(handle, 5, 0)
                }
                guard bound == SQLITE_OK else { return bound }
                return sqlite3_step(handle)
            }
        }
        guard result == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: result),
                                message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
    }
}
