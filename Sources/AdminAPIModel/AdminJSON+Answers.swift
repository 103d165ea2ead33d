import FleetDomain
import Foundation

extension AdminJSON {
    /// Reads an answer of the admin API as a client: the decoded value of a 2xx, the problem of a 4xx or
    /// 5xx, and a clear `AnswerError.unexpected` for anything else (not JSON, another shape, no problem).
    public static func decodeAnswer<Answer: Decodable>(_ type: Answer.Type, status: Int, data: Data) throws(AnswerError) -> Answer {
        let decoder = decoder()
        guard (200..<300).contains(status) else {
            if let problem = try? decoder.decode(ProblemDetails.self, from: data) { throw .problem(problem) }
            throw .unexpected("status \(status) without a problem body: \(excerpt(data))")
        }
        do {
            return try decoder.decode(Answer.self, from: data)
        } catch let error as DecodingError {
            let reason = if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                "not JSON"
            } else {
                FieldIssue(error).message
            }
            throw .unexpected("\(reason), expected \(Answer.self): \(excerpt(data))")
        } catch {
            throw .unexpected("\(error)")
        }
    }

    private static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(200), as: UTF8.self)
        return text.isEmpty ? "(empty body)" : text
    }
}

/// Why a client could not use an answer.
public enum AnswerError: Error, Sendable, Equatable {
    /// The server refused the call and said why.
    case problem(ProblemDetails)
    /// The answer is not what the API documents.
    case unexpected(String)
}
