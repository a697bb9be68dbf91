import Foundation
import Observability
import Postgres
import ServiceKit

/// `motcua-intake units import --file F.csv`: loads the catalogue of a province's administrative
/// units (`UnitCatalogueFile`) as the service's own role (`DATABASE_URL`). Each line is inserted,
/// or updated when it differs; a line the catalogue already holds is left alone, so importing
/// the same file again changes nothing. A file with any bad line changes nothing and is refused
/// with the number of each bad line. The import is audited (`unit_catalogue.imported`, counts
/// only); lines not in the file stay in the catalogue.
public enum UnitsCommand {
    /// The subcommand as the executable lists it.
    public static let command = ServiceCommand(name: "units", usage: "import --file F.csv") { arguments, environment in
        await run(arguments, environment: environment)
    }

    /// Runs `units …` with the words after `units`. Exit status 0 done, 1 failed (a bad file, the
    /// database), 2 misuse.
    public static func run(_ arguments: [String], environment: [String: String], output: CommandOutput = .standard)
        async -> Int32
    {
        guard arguments.count == 3, arguments[0] == "import", arguments[1] == "--file", !arguments[2].isEmpty else {
            output.error("units: usage: units \(command.usage)")
            return 2
        }
        let path = arguments[2]
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.load(
                from: environment, service: IntakeService.name, defaultPort: IntakeService.defaultPort)
        } catch {
            output.error("units: configuration error: \(error)")
            return 2
        }
        let file: UnitCatalogueFile
        do {
            file = try UnitCatalogueFile(csv: try String(contentsOfFile: path, encoding: .utf8))
        } catch let refusal as UnitCatalogueFile.Refusal {
            let shown = refusal.faults.prefix(50).map { "\n  \($0)" }.joined()
            let more = refusal.faults.count > 50 ? "\n  … and \(refusal.faults.count - 50) more" : ""
            output.error("units: \(path) refused, nothing imported:\(shown)\(more)")
            return 1
        } catch {
            output.error("units: cannot read \(path) as UTF-8 text: \(error)")
            return 1
        }
        let context = ServiceContext.forCommand(configuration)
        defer { Task { await context.pool.close() } }
        do {
            let counts = try await UnitCatalogue.load(
                file.units, of: file.province, by: .system(consumer: "units-import"), context: context)
            let unchanged = file.units.count - counts.inserted - counts.updated
            output.line(
                "imported the catalogue of province \(file.province): \(file.units.count) units, \(counts.inserted) new, "
                    + "\(counts.updated) changed, \(unchanged) unchanged")
            return 0
        } catch {
            output.error("units: \(error)")
            return 1
        }
    }
}
