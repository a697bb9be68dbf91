import Glibc

/// `motcua-<service> keys generate --out DIR`: writes a new token key pair, `token-signing.key`
/// (the secret, mode 0600, for intake's `MOTCUA_TOKEN_SECRET_KEY_FILE`) and `token-signing.pub`
/// (for every service's `MOTCUA_TOKEN_PUBLIC_KEY_FILE`), never replacing existing files.
public enum KeysCommand {
    public static let secretKeyFileName = "token-signing.key"
    public static let publicKeyFileName = "token-signing.pub"

    /// Runs the command given the arguments after `keys`; exit status 0 done, 1 failed, 2 misuse.
    public static func run(arguments: [String], output: CommandOutput = .standard) async -> Int32 {
        guard arguments.count == 3, arguments[0] == "generate", arguments[1] == "--out", !arguments[2].isEmpty else {
            output.error(
                "usage: keys generate --out DIR   (writes \(secretKeyFileName) and \(publicKeyFileName) into DIR)")
            return 2
        }
        let directory = arguments[2]
        do {
            let paths = try generate(into: directory)
            output.line("secret key: \(paths.secret) (mode 0600; MOTCUA_TOKEN_SECRET_KEY_FILE of intake)")
            output.line("public key: \(paths.public) (MOTCUA_TOKEN_PUBLIC_KEY_FILE of every service)")
            return 0
        } catch {
            output.error("keys generate: \(error)")
            return 1
        }
    }

    /// Creates `directory` if missing (mode 0700) and a new key pair in it.
    static func generate(into directory: String) throws(KeyFileError) -> (secret: String, public: String) {
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw KeyFileError(path: directory, message: "cannot be created: \(String(cString: strerror(errno)))")
        }
        let secretPath = directory + "/" + secretKeyFileName
        let publicPath = directory + "/" + publicKeyFileName
        for path in [secretPath, publicPath] where access(path, F_OK) == 0 {
            throw KeyFileError(path: path, message: "already exists; a key is never overwritten (move it away first)")
        }
        let key = SigningKey.generate()
        try KeyFile.create(at: secretPath, contents: key.hex + "\n", mode: 0o600)
        do {
            try KeyFile.create(at: publicPath, contents: key.verifyingKey.hex + "\n", mode: 0o644)
        } catch {
            unlink(secretPath)
            throw error
        }
        return (secretPath, publicPath)
    }
}
