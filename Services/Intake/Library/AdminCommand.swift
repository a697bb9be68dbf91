import Foundation
import HTTP
import Observability
import Postgres
import ServiceKit

/// `motcua-intake admin create --username U --full-name N [--password-file F] [--province CODE]
/// [--unit-name NAME]`: the first administrator of a deployment, made by an operator as the
/// service's own role (`DATABASE_URL`), with the password from a file or standard input (never
/// an argument, which `ps` would show).
///
/// With `--province` the account is the province's admin (`province:<CODE>`), else the admin of
/// the default unit (`MOTCUA_WARD_CODE`). The default unit is registered first when missing
/// (published as `unit.registered`), since staff of a unit need it: named `--unit-name`, else as
/// the unit catalogue names it, else `Đơn vị <code>`. It exists by configuration, so it need not
/// be in the catalogue. An existing username is
/// refused and nothing changes, so running it twice is safe.
///
/// `admin unlock|enable|disable --username U`: ends an account's waits after wrong passwords,
/// lets a disabled account sign in again, or disables it (ending its sessions); audited.
public enum AdminCommand {
    /// The subcommand as the executable lists it.
    public static let command = ServiceCommand(
        name: "admin",
        usage:
            "create --username U --full-name NAME [--password-file F | password on stdin] [--province CODE] [--unit-name NAME]"
            + " | unlock|enable|disable --username U"
    ) { arguments, environment in
        await run(arguments, environment: environment) {
            String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
    }

    /// Runs `admin …` with the words after `admin`; `standardInput` gives the password when no
    /// file is named. Exit status 0 done, 1 failed (the username exists, the database), 2 misuse.
    public static func run(
        _ arguments: [String], environment: [String: String], output: CommandOutput = .standard,
        standardInput: @Sendable () -> String
    ) async -> Int32 {
        let options: Options
        do {
            options = try Options(arguments)
        } catch {
            output.error("admin: \(error.message)\nusage: admin \(command.usage)")
            return 2
        }
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.load(
                from: environment, service: IntakeService.name, defaultPort: IntakeService.defaultPort)
        } catch {
            output.error("admin: configuration error: \(error)")
            return 2
        }
        if let change = options.change {
            return await run(change, username: options.username, configuration: configuration, output: output)
        }
        let password: String
        do {
            password =
                try options.passwordFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? standardInput()
        } catch {
            output.error("admin: cannot read the password file \(options.passwordFile ?? ""): \(error)")
            return 2
        }
        let new = NewAdministrator(
            username: options.username, fullName: options.fullName, password: Self.withoutFinalNewline(password),
            province: options.province, unitName: options.unitName)
        let context = ServiceContext.forCommand(configuration)
        defer { Task { await context.pool.close() } }
        do {
            let (account, unitRegistered) = try await create(new, context: context)
            if unitRegistered { output.line("registered the default unit \(configuration.wardCode)") }
            let what =
                switch account.home {
                case .province(let code): "province admin of province \(code)"
                case .unit(let code): "admin of unit \(code)"
                }
            output.line("created \(what): \(account.username) (id \(account.principal.id))")
            return 0
        } catch let problem as ProblemError {
            output.error(
                "admin: \(problem.detail)" + (problem.errors ?? []).map { "\n  \($0.field): \($0.detail)" }.joined())
            return problem.status == 409 ? 1 : 2
        } catch {
            output.error("admin: \(error)")
            return 1
        }
    }

    /// An operator's change to an existing account.
    enum AccountChange: String, Sendable {
        case unlock, enable, disable

        /// `unlocked`, `enabled`, `disabled`: the audit action's and the report's word.
        var done: String { self == .unlock ? "unlocked" : rawValue + "d" }
    }

    private static func run(
        _ change: AccountChange, username: String, configuration: ServiceConfiguration, output: CommandOutput
    ) async -> Int32 {
        let context = ServiceContext.forCommand(configuration)
        defer { Task { await context.pool.close() } }
        do {
            let changed = try await apply(change, username: username, context: context)
            output.line(changed ? "\(change.done) \(username)" : "\(username): nothing to \(change.rawValue)")
            return 0
        } catch let problem as ProblemError {
            output.error("admin: \(problem.detail)")
            return 1
        } catch {
            output.error("admin: \(error)")
            return 1
        }
    }

    /// Applies `change` to the account `username`, audited as the operator's; false when there
    /// was nothing to change (already enabled or disabled); 404 when there is no such account.
    static func apply(_ change: AccountChange, username: String, context: ServiceContext) async throws -> Bool {
        let username = username.lowercased()
        let found = try await context.transaction(.allUnits) { tx in
            try await StaffStore.account(username: username, in: tx)
        }
        guard let account = found else {
            throw ProblemError.notFound(code: "staff_not_found", detail: "there is no account named \(username)")
        }
        let now = context.clock.now
        return try await context.transaction(.allUnits(writingIn: account.home.unitCode)) { tx in
            let changed: Bool
            switch change {
            case .unlock:
                try await StaffStore.unlock(username: username, in: tx)
                changed = true
            case .enable: changed = try await StaffStore.enable(id: account.id, in: tx)
            case .disable:
                changed = try await StaffStore.disable(id: account.id, now: now, in: tx)
                try await StaffStore.revokeSessions(staff: account.id, reason: "disabled", now: now, in: tx)
            }
            if changed {
                try await tx.audit(
                    actor: .system(consumer: "admin-\(change.rawValue)"), action: "staff.\(change.done)",
                    subject: "staff:\(account.principal.id)")
            }
            return changed
        }
    }

    /// What `admin create` makes.
    struct NewAdministrator: Sendable {
        var username: String
        var fullName: String
        var password: String
        var province: String?
        var unitName: String?
    }

    /// Registers the default unit if missing, then the account; 409 when the username exists,
    /// 422 when a field breaks the rules. Returns the account and whether the unit was registered.
    static func create(_ new: NewAdministrator, context: ServiceContext) async throws -> (StaffAccount, Bool) {
        var errors = FieldErrors()
        let username = StaffRoutes.checkedUsername(new.username, into: &errors)
        let fullName = StaffRoutes.checkedFullName(new.fullName, into: &errors)
        SignInPolicy.standard.check(password: new.password, field: "password", into: &errors)
        if let province = new.province, !UnitStore.isProvinceCode(province) {
            errors.add(field: "province", code: "invalid_format", detail: "Mã tỉnh gồm chữ in hoa và chữ số, ví dụ 01.")
        } else if let province = new.province, province != UnitStore.province(of: context.configuration.wardCode) {
            errors.add(
                field: "province", code: "not_the_units_province",
                detail: "Mã tỉnh phải là tỉnh của đơn vị \(context.configuration.wardCode) (nhóm đầu của mã đơn vị).")
        }
        try errors.throwIfAny()
        let ward = context.configuration.wardCode
        let actor = AuditActor.system(consumer: "admin-create")
        let unitRegistered = try await context.transaction(.allUnits(writingIn: ward)) { tx in
            guard try await UnitStore.unit(ward, in: tx) == nil else { return false }
            let province = UnitStore.province(of: ward)
            let listed = new.unitName == nil ? try await UnitCatalogue.unit(ward, in: tx)?.name : nil
            let name = new.unitName ?? listed ?? "Đơn vị \(ward)"
            _ = try await UnitStore.register(name: name, provinceCode: province, in: tx)
            try await tx.audit(
                actor: actor, action: "unit.registered", subject: "unit:\(ward)",
                details: ["name": name, "provinceCode": province])
            return true
        }
        let home: StaffHome = new.province.map { .province($0) } ?? .unit(ward)
        let roles: Set<StaffRole> = new.province == nil ? [.admin] : [.provinceAdmin]
        let hash = await PasswordHash.hashing(new.password)
        let now = context.clock.now
        let account = try await context.transaction(.allUnits(writingIn: home.unitCode)) { tx in
            guard
                let account = try await StaffStore.insert(
                    username: username, fullName: fullName, roles: roles, passwordHash: hash, now: now, in: tx)
            else {
                throw ProblemError.conflict(
                    code: "username_taken",
                    detail: "an account named \(username) already exists; nothing was changed")
            }
            try await tx.audit(
                actor: actor, action: "staff.created", subject: "staff:\(account.principal.id)",
                details: [
                    "username": username, "roles": roles.map(\.rawValue).sorted().joined(separator: ","),
                    "unitCode": home.unitCode,
                ])
            return account
        }
        return (account, unitRegistered)
    }

    /// A password as a file or a pipe gives it: without the line end `echo` adds.
    private static func withoutFinalNewline(_ text: String) -> String {
        var text = text
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text.removeLast() }
        return text
    }

    /// The words after `admin`.
    private struct Options {
        var username = ""
        var fullName = ""
        var passwordFile: String?
        var province: String?
        var unitName: String?
        /// Set for `unlock`, `enable` and `disable`; nil for `create`.
        var change: AccountChange?

        struct Misuse: Error {
            let message: String
        }

        init(_ arguments: [String]) throws(Misuse) {
            guard let verb = arguments.first, verb == "create" || AccountChange(rawValue: verb) != nil else {
                throw Misuse(message: "the subcommands are create, unlock, enable and disable")
            }
            change = AccountChange(rawValue: verb)
            var words = arguments.dropFirst().makeIterator()
            while let word = words.next() {
                guard let value = words.next(), !value.isEmpty else { throw Misuse(message: "\(word) needs a value") }
                switch word {
                case "--username": username = value
                case "--full-name": fullName = value
                case "--password-file": passwordFile = value
                case "--province": province = value
                case "--unit-name": unitName = value
                default: throw Misuse(message: "unknown option \(word)")
                }
            }
            if change != nil {
                if username.isEmpty { throw Misuse(message: "--username is required") }
            } else if username.isEmpty || fullName.isEmpty {
                throw Misuse(message: "--username and --full-name are required")
            }
        }
    }
}

extension ServiceContext {
    /// The context of an operator's command (`admin`, `units`): one connection as intake's role,
    /// no token keys. The caller closes its pool.
    static func forCommand(_ configuration: ServiceConfiguration) -> ServiceContext {
        ServiceContext(
            configuration: configuration, pool: PostgresPool(configuration: configuration.database, maxConnections: 1),
            logger: Logger(service: IntakeService.name, level: configuration.logLevel), tokens: TokenVerifier(keys: []))
    }
}
