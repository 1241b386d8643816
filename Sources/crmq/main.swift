import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

// Bad arguments exit with status 2 (as the usage of sqlite3 and psql do), not ArgumentParser's 64.
do {
    var command = try CrmqCommand.parseAsRoot()
    try command.run()
} catch let exit as ExitCode {
    Glibc.exit(exit.rawValue)
} catch {
    let code = CrmqCommand.exitCode(for: error)
    let message = CrmqCommand.fullMessage(for: error)
    if code == .success {
        print(message)
        Glibc.exit(0)
    }
    StandardStreams.error(message + "\n")
    Glibc.exit(2)
}
