import Foundation
import Testing
@testable import CrmqEngine

/// The vCard reader: each client's export (Tests/fixtures/vcards) gives exactly the expected contacts,
/// each rule of the three versions holds on its own, and each kind of broken card is an error at its
/// first line after which the next card still reads.
@Suite struct VCardReaderTests {
    typealias Contact = [String?]

    static func contact(_ first: String?, _ last: String?, _ email: String?, _ phone: String? = nil, title: String? = nil,
                        account: String? = nil, city: String? = nil, country: String? = nil, note: String? = nil) -> Contact {
        [first, last, email, phone, title, account, city, country, note]
    }

    /// Every outcome of reading to the end: a record or an error, in file order.
    static func readAll(_ bytes: [UInt8]) throws -> [Result<ImportRecord, ImportReadError>] {
        var reader = try VCardReader(bytes: bytes)
        var out: [Result<ImportRecord, ImportReadError>] = []
        while out.count < 1000 {
            do {
                guard let record = try reader.next() else { break }
                out.append(.success(record))
            } catch {
                out.append(.failure(error))
            }
        }
        return out
    }

    static func records(_ text: String) throws -> [ImportRecord] {
        try readAll(Array(text.utf8)).map { try $0.get() }
    }

    static func one(_ text: String) throws -> Contact {
        let all = try records(text)
        try #require(all.count == 1)
        return all[0].cells
    }

    static func fixture(_ name: String) throws -> [Result<ImportRecord, ImportReadError>] {
        let url = Repository.root.appendingPathComponent("Tests/fixtures/vcards").appendingPathComponent(name)
        return try readAll([UInt8](Data(contentsOf: url)))
    }

    static func fixtureRecords(_ name: String) throws -> [ImportRecord] {
        try fixture(name).map { try $0.get() }
    }

    // MARK: - The clients' exports

    @Test func columnsAreTheContactFields() throws {
        let reader = try VCardReader(bytes: Array("BEGIN:VCARD\nFN:A\nEND:VCARD\n".utf8))
        #expect(reader.columns == ["first_name", "last_name", "email", "phone", "title", "account", "city", "country", "note"])
    }

    @Test func outlook21WithWindows1252AndQuotedPrintable() throws {
        let records = try Self.fixtureRecords("outlook-2.1.vcf")
        #expect(records.map(\.cells) == [
            Self.contact("Kjersti", "Østby", "kjersti.ostby@fjordkraft.example", "+47 22 33 44 55", title: "Salgssjef",
                         account: "Fjordkraft Energi AS", city: "Oslo", country: "Norge",
                         note: "Møtt på Nor-Shipping 2025.\nBeslutningstaker for innkjøp – ring før fredag."),
            Self.contact("Jürgen", "Müller", "j.mueller@baeckerei-mueller.example", "+49 89 1234567", title: "Geschäftsführer",
                         account: "Bäckerei Müller GmbH", city: "München", country: "Deutschland"),
            Self.contact("Mercè", "Vilà i Puig", "merce@forndelaplaca.example", "+34 972 20 30 40", title: "Cap de compres",
                         account: "Forn de la Plaça SL", city: "Girona", country: "Espanya"),
        ])
        #expect(records.map(\.line) == [1, 21, 35])
    }

    @Test func gmail30() throws {
        let records = try Self.fixtureRecords("gmail-3.0.vcf")
        #expect(records.map(\.cells) == [
            Self.contact("Ingrid", "Bjørnstad", "ingrid@nordlys-reiser.example", "+47 456 78 901", title: "Daglig leder",
                         account: "Nordlys Reiser AS", city: "Tromsø", country: "Norge",
                         note: "Møtt på Nor-Shipping 2025, ønsker tilbud på frakt Tromsø–Hamburg.\nRing etter påske; helst formiddag."),
            Self.contact("Karl-Heinz", "Jäger", "kh.jaeger@stadtwerke-koeln.example", "+49 221 178 0", title: "Leiter Einkauf",
                         account: "Stadtwerke Köln GmbH", city: "Köln", country: "Deutschland"),
            Self.contact(nil, nil, "comandes@cellercanroca.example"),
            Self.contact("Jordi", "Garriga", "jordi.garriga@gmail.example", "+34 600 11 22 33", title: "Comercial",
                         account: "Vins del Penedès, SCCL", city: "Vilafranca del Penedès", country: "Espanya"),
        ])
        #expect(records.map(\.line) == [1, 17, 28, 35])
    }

    @Test func appleContacts30WithGroupsAndFoldedPhoto() throws {
        let records = try Self.fixtureRecords("apple-3.0.vcf")
        #expect(records.map(\.cells) == [
            Self.contact("Anna", "Schäfer", "anna.schaefer@schaefer-soehne.example", "+49 171 2345678", title: "Geschäftsführerin",
                         account: "Schäfer & Söhne KG", city: "Ludwigsburg", country: "Deutschland",
                         note: "Kundin seit 2019.\nBevorzugt Termine am Vormittag."),
            Self.contact("Øystein", "Haugen", "oystein@haugen-trelast.example", "+47 934 56 789", title: "Innkjøpsansvarlig",
                         account: "Haugen Trelast AS", city: "Lillehammer", country: "Norge"),
            Self.contact("Núria", "Font i Roig", "nuria.font@coopreus.example", "+34 977 31 00 00",
                         account: "Cooperativa Agrícola de Reus", city: "Reus", country: "Espanya",
                         note: "Comanda anual d'oli i avellanes.\nParla català i francès."),
        ])
        #expect(records.count == 3 && records[0].line == 1)
    }

    @Test func android21WithQuotedPrintableUTF8AndSoftBreaks() throws {
        let records = try Self.fixtureRecords("android-2.1.vcf")
        #expect(records.map(\.cells) == [
            Self.contact("Sigrun", "Ødegaard", "sigrun.odegaard@gmail.example", "+4755123456", title: "Innkjøper",
                         account: "Bergen Sjømat AS", city: "Bergen", country: "Norge",
                         note: "Møtte henne på sjømatmessen i Ålesund. Vil ha prøver av tørrfisk og klippfisk før jul – send katalog."),
            Self.contact("Björn", "Weiß", "bjoern.weiss@hamburg-hafen.example", "+491601234567",
                         account: "Hafen Logistik Hamburg GmbH", city: "Hamburg", country: "Deutschland"),
            Self.contact("François", "Cañellas", "francois.canellas@example.cat", "+34655443322"),
        ])
    }

    @Test func thunderbird40WithPrefParameters() throws {
        let records = try Self.fixtureRecords("thunderbird-4.0.vcf")
        #expect(records.map(\.cells) == [
            Self.contact("Marta", "Solà", "marta.sola@cellersola.example", "+34 973 12 34 56", title: "Directora comercial",
                         account: "Cellers Solà", city: "Lleida", country: "Espanya",
                         note: "Vol provar el vi negre a la fira.\nTrucar dimarts, no dilluns."),
            Self.contact("Lars", "Ødegård", "lars@odegard-fisk.example", "+47-70-12-34-56",
                         account: "Ødegård Fisk AS", city: "Ålesund", country: "Norge"),
            Self.contact("Günther", "Blöß", "g.bloess@firma.example", title: "Prokurist",
                         account: "Blöß Maschinenbau AG", city: "Würzburg", country: "Deutschland"),
        ])
    }

    /// crmq's own `export ... to "x.vcf"` reads back to the same fields.
    @Test func crmqsOwnExportReadsBack() throws {
        let card = VCardWriter.card(first: "Åse", last: "Lund; Berg", email: "ase@lund.example", phone: "+47 1",
                                    title: "CEO, founder", organisation: "Lund\\Berg AS", city: "Tromsø", country: "Norge")
        #expect(try Self.one(card) == Self.contact("Åse", "Lund; Berg", "ase@lund.example", "+47 1", title: "CEO, founder",
                                                   account: "Lund\\Berg AS", city: "Tromsø", country: "Norge"))
        let long = VCardWriter.card(first: String(repeating: "ø", count: 60), last: "L", email: "", phone: "", title: "",
                                    organisation: "", city: "", country: "")
        #expect(try Self.one(long)[0] == String(repeating: "ø", count: 60))
    }

    // MARK: - Broken cards

    @Test func brokenCardsAreErrorsAtTheirFirstLineAndTheNextCardReads() throws {
        let outcomes = try Self.fixture("broken.vcf")
        func error(_ i: Int) -> ImportReadError? { if case .failure(let e) = outcomes[i] { e } else { nil } }
        func record(_ i: Int) -> ImportRecord? { try? outcomes[i].get() }
        try #require(outcomes.count == 8)
        #expect(record(0)?.cells == Self.contact("Astrid", "Berg", "astrid@berg.example"))
        #expect(error(1) == ImportReadError("the card has no END:VCARD before the next BEGIN:VCARD on line 10", line: 6,
                                            hint: "end each card with END:VCARD"))
        #expect(error(2)?.message == "line 13 of the card is not a property (no \":\"): \"this line has no colon\"")
        #expect(error(2)?.line == 10)
        #expect(error(3)?.message == "N on line 18 has bad quoted-printable \"=G3\"")
        #expect(error(3)?.line == 16)
        #expect(error(4) == ImportReadError("the card has no name (N or FN) and no EMAIL", line: 21,
                                            hint: "give each card an N, FN or EMAIL property"))
        #expect(error(5)?.message == "N on line 28 is in CHARSET=SHIFT_JIS, which crmq cannot read")
        #expect(error(5)?.line == 26)
        #expect(record(6)?.cells == Self.contact("Anna", "Puig", "anna@puig.example"))
        #expect(record(6)?.line == 30)
        #expect(error(7) == ImportReadError("the card has no END:VCARD before the end of the file", line: 35,
                                            hint: "end each card with END:VCARD"))
        #expect(outcomes.allSatisfy { if case .failure(let e) = $0 { !e.fatal } else { true } })
    }

    @Test func aFileWithoutCardsIsAFatalError() {
        for text in ["", "\n\n", "name,email\nAnn,ann@x.example\n", "END:VCARD\n", "BEGIN:VCALENDAR\nEND:VCALENDAR\n"] {
            #expect(throws: ImportReadError("no BEGIN:VCARD: this is not a vCard file", line: 1,
                                            hint: "a vCard file holds cards from BEGIN:VCARD to END:VCARD", fatal: true)) {
                _ = try VCardReader(bytes: Array(text.utf8))
            }
        }
    }

    @Test func badQuotedPrintableAtTheEndOfAValue() throws {
        let outcomes = try Self.readAll(Array("BEGIN:VCARD\nVERSION:2.1\nN;QUOTED-PRINTABLE:Ros=4\nEND:VCARD\nBEGIN:VCARD\nFN:B\nEND:VCARD\n".utf8))
        #expect(throws: ImportReadError.self) { try outcomes[0].get() }
        #expect((try? outcomes[1].get())?.cells[1] == "B")
    }

    // MARK: - Rules one at a time

    @Test func unfoldingDropsTheLineBreakAndOneSpaceOrTab() throws {
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ber\r\n g;Ast\r\n\trid\r\nEMAIL:a@\r\n  b.example\r\nEND:VCARD\r\n"
        #expect(try Self.one(card) == Self.contact("Astrid", "Berg", "a@ b.example"))
    }

    @Test func lineEndsMayBeCRLFOrLFOrCR() throws {
        for end in ["\r\n", "\n", "\r"] {
            let text = ["BEGIN:VCARD", "FN:Ann Lund", "END:VCARD", "BEGIN:VCARD", "FN:Bo Berg", "END:VCARD"].joined(separator: end)
            let records = try Self.records(text)
            #expect(records.map(\.line) == [1, 4])
            #expect(records.map { $0.cells[1] } == ["Lund", "Berg"])
        }
    }

    @Test func byteOrderMarkAndLowerCaseNamesAndBlankLines() throws {
        let text = "\u{FEFF}begin:vcard\n\nversion:3.0\nn:Lund;Ann;;;\nEnd:VCard  \n"
        #expect(try Self.one(text) == Self.contact("Ann", "Lund", nil))
    }

    @Test func utf16FilesWithAByteOrderMarkRead() throws {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ødegård;Lars\r\nEND:VCARD\r\n"
        let little: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for bytes in [little, big] {
            #expect(try Self.readAll(bytes).map { try $0.get().cells[0...1] } == [["Lars", "Ødegård"]])
        }
    }

    @Test func quotedPrintableSoftBreaksJoinTheNextLineAsItIs() throws {
        let text = "BEGIN:VCARD\nVERSION:2.1\nNOTE;ENCODING=QUOTED-PRINTABLE:first =\n second=\n=C3=A5 third=0D=0Afour\nFN:A\nEND:VCARD\n"
        #expect(try Self.one(text)[8] == "first  secondå third\nfour")
    }

    @Test(arguments: [
        ("N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=A6=C3=B8=C3=A5;=C3=A7", "æøå"),
        ("N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:=E6=F8=E5;=E7", "æøå"),
        ("N;CHARSET=Windows-1252;QUOTED-PRINTABLE:=80=E6=F8=E5;=E7", "€æøå"),
        ("N;QUOTED-PRINTABLE;CHARSET=utf-8:=C3=A6=c3=b8=C3=A5;=C3=A7", "æøå"),
    ])
    func charsets(line: String, last: String) throws {
        #expect(try Self.one("BEGIN:VCARD\nVERSION:2.1\n\(line)\nEND:VCARD\n")[0...1] == ["ç", last])
    }

    @Test func rawBytesThatAreNotUTF8AreReadAsWindows1252() throws {
        var bytes = Array("BEGIN:VCARD\nVERSION:2.1\nN:M".utf8)
        bytes += [0xFC] + Array("ller;J".utf8) + [0xFC] + Array("rgen\nEND:VCARD\n".utf8)
        #expect(try Self.readAll(bytes).map { try $0.get().cells[0...1] } == [["Jürgen", "Müller"]])
    }

    @Test func backslashEscapesIn30And40() throws {
        for version in ["3.0", "4.0"] {
            let text = "BEGIN:VCARD\nVERSION:\(version)\nN:Lund\\;Berg;Ann\nORG:A\\, B\\\\C;Dept\nNOTE:a\\nb\\Nc\\,d\\;e\\\\f\nEND:VCARD\n"
            #expect(try Self.one(text) == Self.contact("Ann", "Lund;Berg", nil, account: "A, B\\C", note: "a\nb\nc,d;e\\f"))
        }
    }

    @Test func version21EscapesOnlySemicolons() throws {
        let text = "BEGIN:VCARD\nVERSION:2.1\nN:Lund\\;Berg;Ann\nNOTE:C:\\temp\\new, two\nEND:VCARD\n"
        #expect(try Self.one(text) == Self.contact("Ann", "Lund;Berg", nil, note: "C:\\temp\\new, two"))
    }

    @Test(arguments: [
        "EMAIL;TYPE=INTERNET:first@x.example\nEMAIL;TYPE=INTERNET,pref:pref@x.example",
        "EMAIL;TYPE=WORK:first@x.example\nEMAIL;TYPE=WORK;TYPE=PREF:pref@x.example",
        "EMAIL;INTERNET:first@x.example\nEMAIL;INTERNET;PREF:pref@x.example",
        "EMAIL;type=home:first@x.example\nEMAIL;PREF=1;TYPE=\"work,internet\":pref@x.example",
        "EMAIL;PREF=50:first@x.example\nEMAIL;PREF=3:pref@x.example\nEMAIL;PREF=9:other@x.example",
        "item1.EMAIL:first@x.example\nitem2.EMAIL;type=pref:pref@x.example\nitem2.X-ABLabel:_$!<Work>!$_",
    ])
    func parameterStylesMarkThePreferredEmail(lines: String) throws {
        #expect(try Self.one("BEGIN:VCARD\nVERSION:3.0\nFN:A B\n\(lines)\nEND:VCARD\n")[2] == "pref@x.example")
    }

    @Test func withoutPreferenceTheFirstWinsForEmailPhoneAndAddress() throws {
        let text = """
        BEGIN:VCARD
        VERSION:3.0
        FN:A B
        TEL;TYPE=CELL:1
        TEL;TYPE=WORK:2
        EMAIL:first@x.example
        EMAIL:second@x.example
        ADR:;;Street 1;Bergen;;5003;Norge
        ADR:;;Street 2;Oslo;;0150;Norway
        END:VCARD
        """
        #expect(try Self.one(text) == Self.contact("A", "B", "first@x.example", "1", city: "Bergen", country: "Norge"))
    }

    @Test func nameFromNElseFNSplitAtTheLastSpace() throws {
        func names(_ props: String) throws -> [String?] { Array(try Self.one("BEGIN:VCARD\n\(props)\nEND:VCARD")[0...1]) }
        #expect(try names("N:Vilà i Puig;Mercè;Maria;Dra.;\nFN:Whatever") == ["Mercè", "Vilà i Puig"])
        #expect(try names("N:;;;;\nFN:Mercè Vilà i Puig") == ["Mercè Vilà i", "Puig"])
        #expect(try names("FN:  Madonna ") == [nil, "Madonna"])
        #expect(try names("N:Lund") == [nil, "Lund"])
        #expect(try names("N:;Ann\nFN:Other Name") == ["Ann", nil])
        #expect(try names("N:Berg,Lund;Ann,Marie") == ["Ann Marie", "Berg Lund"])
    }

    @Test func addressGivesCityAndCountry() throws {
        let text = "BEGIN:VCARD\nFN:A B\nADR;TYPE=work:PO Box 1;Floor 2;Street 3;Tromsø;Troms;9008;Norge\nEND:VCARD"
        #expect(try Self.one(text)[6...7] == ["Tromsø", "Norge"])
        #expect(try Self.one("BEGIN:VCARD\nFN:A B\nADR:;;Street\nEND:VCARD")[6...7] == [nil, nil])
    }

    @Test func organisationIsItsFirstComponent() throws {
        #expect(try Self.one("BEGIN:VCARD\nFN:A B\nORG:Acme AS;Sales;Nordic\nEND:VCARD")[5] == "Acme AS")
        #expect(try Self.one("BEGIN:VCARD\nFN:A B\nORG:;Sales\nEND:VCARD")[5] == nil)
    }

    @Test func uriValuesLoseTheirScheme() throws {
        let text = "BEGIN:VCARD\nVERSION:4.0\nFN:A B\nEMAIL:mailto:a@b.example\nTEL;VALUE=uri:tel:+47-22-00-00-00\nEND:VCARD"
        #expect(try Self.one(text)[2...3] == ["a@b.example", "+47-22-00-00-00"])
        #expect(try Self.one("BEGIN:VCARD\nFN:A B\nEMAIL:mailto: \nTEL:tel:\nEND:VCARD")[2...3] == [nil, nil])
    }

    @Test func photosAndUnknownPropertiesAreSkipped() throws {
        let text = """
        BEGIN:VCARD
        VERSION:2.1
        N:Lund;Ann
        PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQEAYABgAAD
        2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a
        HBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL

        LOGO;VALUE=URI:http://example.com/logo.png
        SOUND;ENCODING=QUOTED-PRINTABLE:=ZZ broken but unused
        KEY;ENCODING=b:MIICajCCAdOgAwIBAgICBEUwDQYJKoZIhvcNAQEEBQAw
        X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Annie;1;;;;;;;;;;;;;
        X-SKYPE:ann.lund
        EMAIL:ann@lund.example
        END:VCARD
        """
        #expect(try Self.one(text) == Self.contact("Ann", "Lund", "ann@lund.example"))
    }

    @Test func base64EncodedTextIsDecoded() throws {
        #expect(try Self.one("BEGIN:VCARD\nVERSION:3.0\nFN:A B\nNOTE;ENCODING=b:w5hzdGVyw6Vz\nEND:VCARD")[8] == "Østerås")
    }

    @Test func textBetweenCardsIsIgnored() throws {
        let text = "Exported by a tool\nBEGIN:VCARD\nFN:A B\nEND:VCARD\nstray\nEND:VCARD\nBEGIN:VCARD\nFN:C D\nEND:VCARD\ntrailer"
        #expect(try Self.records(text).map(\.line) == [2, 7])
    }
}
