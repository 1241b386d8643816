import Foundation
import Testing
@testable import CrmqEngine

/// The command line with data files: `crmq generate`, `crmq FILE`, `crmq check FILE`.
@Suite struct CommandLineDataFileTests {
    static func run(_ args: [String], stdin: String? = nil) throws -> CommandLineTests.Run {
        try CommandLineTests.run(args, stdin: stdin)
    }

    @Test func generateOpenChangeAndCheck() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/crm.crmq"
        let generated = try Self.run(["generate", "--scale", "0.002", "--seed", "2", "--today", "2026-06-15", "-o", path])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(generated.stdout.hasPrefix("wrote \"\(path)\": "))
        #expect(generated.stderr.isEmpty, "no progress on a pipe")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let counted = try Self.run([path, "--today", "2026-06-15", "-c", "count opportunities"])
        #expect(counted.status == 0)
        #expect(counted.stdout.contains("  2000\n"))

        let changed = try Self.run([path, "--today", "2026-06-15", "-c", #"update opportunities set stage = "Negotiation" where id = 16"#])
        #expect(changed.stdout == "updated 1 opportunity; recorded 1 stage change\n")
        let seen = try Self.run([path, "--format", "csv", "-c", "find opportunities where id = 16 show stage, probability"])
        #expect(seen.stdout == "stage,probability\r\nNegotiation,80.00\r\n")

        let checked = try Self.run(["check", path])
        #expect(checked.status == 0)
        #expect(checked.stdout.contains("1 change record"))
        #expect(checked.stdout.hasSuffix("OK\n"))

        #expect(try Self.run([path, "-c", "save"]).stdout.hasPrefix("saved \"\(path)\""))
        #expect(try Self.run(["check", path]).stdout.contains("journal \"\(path)-journal\": 0 change records"))

        // generate refuses to replace a file without --force.
        let again = try Self.run(["generate", "--scale", "0.002", "-o", path])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        #expect(again.stderr.contains("--force"))
    }

    @Test func aMissingFileStartsEmptyAndIsCreatedByTheFirstChange() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/new.crmq"
        let r = try Self.run([path, "-c", "count accounts", "-c", #"create account name = "First""#, "-c", "count accounts"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("created account 1"))
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try Self.run([path, "--format", "csv", "-c", "find accounts show name"]).stdout == "name\r\nFirst\r\n")
    }

    @Test func aDamagedFileIsRefusedWithItsPlace() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/crm.crmq"
        _ = try DataFile.writeNew(TinyCRM.build(), to: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[1000] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))
        for args in [[path, "-c", "count accounts"], ["check", path]] {
            let r = try Self.run(args)
            #expect(r.status == 1)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.hasPrefix("error: \"\(path)\" is damaged at byte "))
            #expect(r.stderr.contains("does not match its checksum"))
        }
        let script = dir.path + "/script.crmq"
        try "count accounts\n".write(toFile: script, atomically: true, encoding: .utf8)
        let notData = try Self.run([script, "-c", "count accounts"])
        #expect(notData.status == 1)
        #expect(notData.stderr.contains("is not a crmq data file"))
        #expect(notData.stderr.contains("to run a script, use crmq -f"))
    }

    @Test func anUncommittedTransactionIsUndoneAtTheEnd() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/crm.crmq"
        _ = try DataFile.writeNew(TinyCRM.build(), to: path)
        let r = try Self.run([path, "-c", "begin", "-c", #"create account name = "Lost""#])
        #expect(r.stderr.contains("warning: the transaction was not committed; its 1 statement was undone"))
        #expect(try Self.run([path, "-c", "count accounts"]).stdout.contains("     3\n"))
    }

    @Test func demoOptionsDoNotGoWithAFile() throws {
        let r = try Self.run(["some.crmq", "--scale", "1", "-c", "count users"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--scale and --seed choose the demo dataset"))
    }
}
