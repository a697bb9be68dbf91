import Foundation
import Glibc

/// Key files on disk: one key per line, hex or base64; blank lines and `#` comments ignored.
enum KeyFile {
    /// The keys in the file at `path`, decoded; a `secret` file must not be readable or writable
    /// by group or others (mode 0600 or stricter).
    static func keys(at path: String, secret: Bool) throws(KeyFileError) -> [[UInt8]] {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw KeyFileError(path: path, message: "cannot be read: \(String(cString: strerror(errno)))")
        }
        let permissions = status.st_mode & 0o777
        if secret, permissions & 0o077 != 0 {
            throw KeyFileError(
                path: path,
                message:
                    "holds a secret key but has mode \(String(permissions, radix: 8)); allow only its owner: chmod 600 \(path)"
            )
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw KeyFileError(path: path, message: "cannot be read as text: \(error.localizedDescription)")
        }
        var keys: [[UInt8]] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            guard let key = decode(trimmed) else {
                throw KeyFileError(path: path, message: "line \(number + 1) is neither hex nor base64")
            }
            keys.append(key)
        }
        guard !keys.isEmpty else { throw KeyFileError(path: path, message: "holds no key") }
        return keys
    }

    /// Creates the file with `contents` and `mode`, refusing to replace an existing one.
    static func create(at path: String, contents: String, mode: mode_t) throws(KeyFileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            let reason =
                errno == EEXIST ? "already exists; a key is never overwritten" : String(cString: strerror(errno))
            throw KeyFileError(path: path, message: reason)
        }
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw KeyFileError(path: path, message: "cannot be written: \(String(cString: strerror(errno)))")
        }
    }

    /// Hex first (every hex line is also valid base64), then standard base64, then URL-safe.
    private static func decode(_ text: String) -> [UInt8]? {
        if let bytes = Hex.decode(text) { return bytes }
        if let data = Data(base64Encoded: text) { return [UInt8](data) }
        return Base64URL.decode(text)
    }
}
