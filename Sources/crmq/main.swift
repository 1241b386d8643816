import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

// ArgumentParser decodes the root command's positional FILE before it looks for a subcommand, so
// `crmq generate ...` would open a file named "generate": subcommands are picked out here first.
let arguments = Array(CommandLine.arguments.dropFirst())
let subcommand = arguments.first.flatMap { name in
    CrmqCommand.configuration.subcommands.first { $0.configuration.commandName == name }
}
let parsed: any ParsableCommand.Type = subcommand ?? CrmqCommand.self

// Bad arguments exit with status 2 (as the usage of sqlite3 and psql do), not ArgumentParser's 64.
do {
    var command = try parsed.parseAsRoot(subcommand == nil ? arguments : Array(arguments.dropFirst()))
    try command.run()
} catch let exit as ExitCode {
    Glibc.exit(exit.rawValue)
} catch {
    let code = parsed.exitCode(for: error)
    let message = parsed.fullMessage(for: error)
    if code == .success {
        print(message)
        Glibc.exit(0)
    }
    StandardStreams.error(message + "\n")
    Glibc.exit(2)
}
