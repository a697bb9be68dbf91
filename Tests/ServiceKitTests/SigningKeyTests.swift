import Foundation
import Synchronization
import Testing

@testable import ServiceKit

/// Lines an operator command wrote, captured for a test.
final class CapturedOutput: Sendable {
    private let lines = Mutex<[String]>([])
    private let errors = Mutex<[String]>([])

    var output: CommandOutput {
        CommandOutput(
            line: { line in self.lines.withLock { $0.append(line) } },
            error: { line in self.errors.withLock { $0.append(line) } })
    }
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
    var errorText: String { errors.withLock { $0.joined(separator: "\n") } }
}

/// Token keys on disk: `keys generate`, reading the key files, and their refusals.
@Suite struct SigningKeyTests {
    /// A fresh folder under the temporary directory, removed after `body`.
    func withFolder(_ body: (String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-keys-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await body(folder)
    }

    func write(_ text: String, to path: String, mode: Int) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    func mode(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
    }

    @Test func keysGenerateWritesAPairThatSignsAndVerifiesThroughTheConfiguration() async throws {
        try await withFolder { folder in
            let captured = CapturedOutput()
            let keys = folder + "/keys"
            #expect(await KeysCommand.run(arguments: ["generate", "--out", keys], output: captured.output) == 0)
            let secretPath = keys + "/token-signing.key"
            let publicPath = keys + "/token-signing.pub"
            #expect(try mode(secretPath) == 0o600)
            #expect(try mode(keys) == 0o700)
            #expect(captured.text.contains(secretPath))
            #expect(try String(contentsOfFile: secretPath, encoding: .utf8).count == 129)
            #expect(try String(contentsOfFile: publicPath, encoding: .utf8).count == 65)

            let signer = try TokenSigner.fromEnvironment(["MOTCUA_TOKEN_SECRET_KEY_FILE": secretPath])
            let verifier = try TokenVerifier.fromEnvironment(["MOTCUA_TOKEN_PUBLIC_KEY_FILE": publicPath])
            let principal = StaffPrincipal(id: "a1", name: "Lê Văn An", roles: [.admin], scope: .unit("H01.40.23"))
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            #expect(try verifier.verify(signer.token(for: principal, now: now), now: now) == principal)
        }
    }

    @Test func keysGenerateNeverOverwritesAKeyNorWritesHalfAPair() async throws {
        try await withFolder { folder in
            #expect(
                await KeysCommand.run(arguments: ["generate", "--out", folder], output: CapturedOutput().output) == 0)
            let secretPath = folder + "/token-signing.key"
            let publicPath = folder + "/token-signing.pub"
            let secret = try String(contentsOfFile: secretPath, encoding: .utf8)
            let again = CapturedOutput()
            #expect(await KeysCommand.run(arguments: ["generate", "--out", folder], output: again.output) == 1)
            #expect(
                again.errorText
                    == "keys generate: \(secretPath): already exists; a key is never overwritten (move it away first)")
            #expect(try String(contentsOfFile: secretPath, encoding: .utf8) == secret)

            try FileManager.default.removeItem(atPath: secretPath)
            let publicOnly = CapturedOutput()
            #expect(await KeysCommand.run(arguments: ["generate", "--out", folder], output: publicOnly.output) == 1)
            #expect(publicOnly.errorText.contains("\(publicPath): already exists"))
            #expect(!FileManager.default.fileExists(atPath: secretPath))
        }
    }

    @Test func keysWithoutGenerateAndOutIsAMisuse() async {
        for arguments in [[], ["generate"], ["generate", "--out"], ["rotate", "--out", "/tmp"]] {
            let captured = CapturedOutput()
            #expect(await KeysCommand.run(arguments: arguments, output: captured.output) == 2, "\(arguments)")
            #expect(captured.errorText.contains("usage: keys generate --out DIR"))
        }
    }

    @Test func aSecretKeyFileOthersCanReadIsRefusedWithTheFixNamed() async throws {
        try await withFolder { folder in
            let path = folder + "/token-signing.key"
            try write(SigningKey.generate().hex + "\n", to: path, mode: 0o640)
            let error = #expect(throws: KeyFileError.self) { try SigningKey.read(from: path) }
            #expect(
                error?.description
                    == "\(path): holds a secret key but has mode 640; allow only its owner: chmod 600 \(path)")
        }
    }

    @Test func aKeyFileThatHoldsNoKeyIsRefusedNamingTheFile() async throws {
        try await withFolder { folder in
            let path = folder + "/broken.key"
            try write("not a key at all!\n", to: path, mode: 0o600)
            let error = #expect(throws: KeyFileError.self) { try SigningKey.read(from: path) }
            #expect(error?.path == path)
            #expect(error?.message == "line 1 is neither hex nor base64")

            try write("# a comment only\n\n", to: path, mode: 0o600)
            #expect(throws: KeyFileError.self) { try SigningKey.read(from: path) }

            try write(String(repeating: "ab", count: 40) + "\n", to: path, mode: 0o644)
            let short = #expect(throws: KeyFileError.self) { try VerifyingKey.read(from: path) }
            #expect(short?.description == "\(path): holds 40 bytes where an Ed25519 public key has 32")

            let missing = #expect(throws: ConfigError.self) {
                try TokenVerifier.fromEnvironment(["MOTCUA_TOKEN_PUBLIC_KEY_FILE": folder + "/absent.pub"])
            }
            #expect(missing?.variable == "MOTCUA_TOKEN_PUBLIC_KEY_FILE")
            #expect(missing?.message.contains(folder + "/absent.pub: cannot be read") == true)
            let unset = #expect(throws: ConfigError.self) { try TokenSigner.fromEnvironment([:]) }
            #expect(unset?.description == "MOTCUA_TOKEN_SECRET_KEY_FILE: is required but not set")
        }
    }

    @Test func aSecretKeyReadsFromItsSeedOrFullFormInHexOrBase64() async throws {
        try await withFolder { folder in
            let key = SigningKey.generate()
            let full = Hex.decode(key.hex)!
            let path = folder + "/token-signing.key"
            for text in [
                key.hex, Hex.encode(full.prefix(32)), Data(full).base64EncodedString(),
                Base64URL.encode(full.prefix(32)),
            ] {
                try? FileManager.default.removeItem(atPath: path)
                try write(text + "\n", to: path, mode: 0o600)
                #expect(try SigningKey.read(from: path).verifyingKey == key.verifyingKey, "\(text)")
            }
            var mismatched = full
            mismatched[40] ^= 1
            #expect(SigningKey(bytes: mismatched) == nil)
        }
    }

    @Test func aSigningKeysDescriptionNeverShowsTheSecret() {
        let key = SigningKey.generate()
        #expect("\(key)" == "SigningKey(\(key.verifyingKey.id))")
        #expect(!"\(key)".contains(key.hex.prefix(16)))
    }
}
