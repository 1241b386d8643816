/// A whole `import` of fuzzed bytes into the fixture's data: the reader, the importer's matching,
/// conversion, reference resolution, keys and exit criteria, then the changes checked and applied
/// as a session would commit them. The bytes stand in for the file; the statement, chosen by the
/// input's flag byte, names the entity and the options.
enum FuzzImport {
    static let csvStatements = [
        #"import accounts from "f.csv""#,
        #"import accounts from "f.csv" skip bad rows"#,
        #"import accounts from "f.csv" by name skip bad rows"#,
        #"import contacts from "f.csv" skip bad rows"#,
        #"import contacts from "f.csv" by email skip bad rows"#,
        #"import contacts from "f.csv" map "E-mail" to email, "Company" to account ignore "Fax" skip bad rows"#,
        #"import opportunities from "f.csv" skip bad rows"#,
        #"import opportunities from "f.csv" decimal comma date format "dd.mm.yyyy" skip bad rows"#,
        #"import opportunities from "f.csv" set pipeline = "Enterprise" skip bad rows"#,
        #"import opportunities from "f.csv" without history by id skip bad rows"#,
        #"import opportunities from "f.csv" map deal_stage to stage, close_value to value"#,
        #"import leads from "f.csv" by email skip bad rows"#,
        #"import activities from "f.csv" skip bad rows"#,
        #"import users from "f.csv" by email skip bad rows"#,
        #"import cases from "f.csv" date format "mm/dd/yyyy" skip bad rows"#,
        #"import stage_changes from "f.csv" skip bad rows"#,
    ]
    static let vcardStatements = [
        #"import vcards from "f.vcf""#,
        #"import vcards from "f.vcf" skip bad rows"#,
        #"import vcards from "f.vcf" by email skip bad rows"#,
        #"import vcards from "f.vcf" set role = "buyer" skip bad rows"#,
    ]

    /// Imports `bytes` with statement `choice` (modulo the list); traps when the importer builds
    /// changes that do not fit the data, or when a refusal says nothing.
    static func run(_ bytes: [UInt8], choice: Int, vcards: Bool, delimiter: UInt8? = nil,
                    encoding: TextEncoding = .utf8) -> String {
        let statements = vcards ? vcardStatements : csvStatements
        let text = statements[choice % statements.count]
        var session = FuzzFixture.session
        let bound: BoundImport
        do throws(Diagnostic) {
            var parser = Parser(SourceText(name: "fuzz", text: text))
            guard let parsed = try parser.nextStatement(),
                  case .importFile(let b) = try session.binder.bind(parsed) else {
                preconditionFailure("the fuzz import statement \(text) did not bind to an import")
            }
            bound = b
        } catch {
            preconditionFailure("the fuzz import statement \(text) is refused: \(error.message)")
        }
        let outcome: Importer.Outcome
        do throws(Diagnostic) {
            let importer = Importer(db: session.database, bound: bound, now: FuzzFixture.session.settings.now ?? 0,
                                    user: nil, rules: try session.exitRules(for: bound.entity))
            if vcards {
                var reader = try readable(VCardReader(bytes: bytes))
                outcome = try importer.run(&reader)
            } else {
                let file = try readable(CSVReader(bytes: bytes, delimiter: delimiter ?? bound.delimiter, encoding: encoding))
                var reader = file
                outcome = try importer.run(&reader)
                // Read in parts at once (every cut a guess at a record's start), the file gives the same.
                let inParts = try importer.run(file, parts: 3, minimumBytes: 1)
                precondition(inParts.changes == outcome.changes && inParts.rejects.map(\.text) == outcome.rejects.map(\.text),
                              "reading the file in parts gave other rows than reading it in one go")
            }
        } catch {
            precondition(!error.message.isEmpty, "an import was refused without a message")
            return "refused: \(error.message)"
        }
        if let problem = session.database.problem(applying: outcome.changes) {
            preconditionFailure("the importer built changes that do not fit the data: \(problem)")
        }
        session.database.apply(outcome.changes)
        return "\(outcome.created) created, \(outcome.updated) updated, \(outcome.rejects.count) rejected"
    }

    /// The reader, or the refusal of a file whose start cannot be read, as the session words it.
    private static func readable<R>(_ make: @autoclosure () throws(ImportReadError) -> R) throws(Diagnostic) -> R {
        do throws(ImportReadError) {
            return try make()
        } catch {
            throw Diagnostic(.executor, "f:\(error.line): \(error.message)")
        }
    }
}
