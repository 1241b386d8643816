/// Accounts and contacts: the companies and the people in them.
extension DemoBuilder {
    mutating func makeAccounts() {
        let n = counts.accounts
        beginPhase("accounts", rows: n)
        var r = random(3)

        // Creation times first, sorted, so that ids rise with time. More recent is more common (the
        // customer base grew), and the oldest is exactly six years old so that every deal, however old,
        // finds an account that already existed.
        var created = (0..<n).map { _ -> Int64 in
            let u = r.unit()
            let age = r.chance(0.5) ? u : min(u, r.unit())
            return past(DemoBuilder.officeTime(today - Int64(age * 2_190), &r), &r)
        }
        created.sort()
        created[0] = (today - 2_190) * 86_400 + 9 * 3_600

        accountName.reserveCapacity(n)
        accountDomain.reserveCapacity(n)
        var used = Set<String>()
        used.reserveCapacity(n)
        var weights: [Double] = []
        weights.reserveCapacity(n)
        var industryColumn = [Int8](), employeesColumn = [Int64](), revenueColumn = [Int64]()
        industryColumn.reserveCapacity(n)
        employeesColumn.reserveCapacity(n)
        revenueColumn.reserveCapacity(n)
        let logistics = DemoPlaces.industries.firstIndex { $0.name == "Logistics" } ?? 0

        for i in 0..<n {
            let createdDay = DemoBuilder.day(of: created[i])
            var countryIndex = DemoPlaces.countryWeights.pick(&r)
            var country = DemoPlaces.countries[countryIndex]
            var city = country.cityWeights.pick(&r)
            var industry = DemoPlaces.industryWeights.pick(&r)
            var name: String, domain: String
            var employees = min(200_000, max(1, Int64(r.logNormal(median: 45, sigma: 1.7))))
            if i == 0 {
                // A fixed, well-filled first account for course material's "360-degree view" examples.
                countryIndex = 0
                country = DemoPlaces.countries[0]
                city = 0
                industry = logistics
                name = "Nordlys Logistikk AS"
                domain = "nordlyslogistikk.no"
                employees = 2_400
            } else {
                let style = companyStyle(country, city: city, &r)
                (name, domain) = uniqueCompanyName(style: style, industry: industry, country: country, city: city,
                                                   used: &used, &r)
            }
            used.insert(name)

            let ind = DemoPlaces.industries[industry]
            let revenue = Double(employees) * ind.revenuePerEmployee * r.logNormal(median: 1, sigma: 0.45)
            let revenueCents = demoRound(revenue / 1_000) * 1_000 * 100
            let team = country.team
            let owner = i > 0 && r.chance(0.06) && managerOfTeam[team] >= 0 ? managerOfTeam[team] : salesRep(team: team, &r)
            let customerSince: Int64 = i == 0 ? createdDay + 200
                : r.chance(0.55) ? createdDay + Int64(r.unit() * Double(today - createdDay)) : .max
            // Bigger companies see more deals, contacts and cases, but only by a small factor.
            let size = 1 + demoLog2(Double(employees))
            weights.append(demoPow(size, 1.5))

            // Gaps for the data-quality examples to find.
            industryColumn.append(i > 0 && r.chance(0.015) ? -1 : Int8(industry))
            employeesColumn.append(i > 0 && r.chance(0.02) ? nullInt : employees)
            revenueColumn.append(i > 0 && r.chance(0.03) ? nullInt : max(revenueCents, 100_000 * 100))
            accountName.append(name)
            accountDomain.append(domain)
            accountCountry.append(UInt8(countryIndex))
            accountCity.append(UInt8(city))
            accountOwner.append(owner)
            accountCustomerSince.append(customerSince)
            accountEmployees.append(employees)
            tick(i)
        }
        accountCreated = created
        accountWeights = DemoWeights(weights)

        let names = accountName, country = accountCountry, city = accountCity, owner = accountOwner
        write("accounts", rows: n) { [industryColumn, employeesColumn, revenueColumn, created] c in
            var row = [StoredValue](repeating: .null, count: 8)
            for i in 0..<n {
                let place = DemoPlaces.countries[Int(country[i])]
                row[0] = .text(names[i])
                row[1] = .text(industryColumn[i] < 0 ? nil : DemoPlaces.industries[Int(industryColumn[i])].name)
                row[2] = .text(place.name)
                row[3] = .text(place.cities[Int(city[i])])
                row[4] = .integer(employeesColumn[i])
                row[5] = .integer(revenueColumn[i])
                row[6] = .integer(Int64(owner[i]) + 1)
                row[7] = .integer(created[i])
                c.append(id: Int64(i + 1), row)
            }
        }
        endPhase()
    }

    /// Spanish companies in Catalan-speaking cities mostly have Catalan names; some companies everywhere
    /// have English names, as international firms do.
    func companyStyle(_ country: DemoCountry, city: Int, _ r: inout DemoRandom) -> DemoCompanyStyle {
        if r.chance(0.07) { return .english }
        if country.isCatalan(city: city) { return r.chance(0.75) ? .catalan : .spanish }
        return country.style
    }

    /// A company name not in `used`: first plain, then with a regional word or the city added, as real
    /// namesakes distinguish themselves.
    func uniqueCompanyName(style: DemoCompanyStyle, industry: Int, country: DemoCountry, city: Int,
                           used: inout Set<String>, _ r: inout DemoRandom) -> (String, String) {
        let parts = DemoPlaces.nameParts[style.rawValue]
        func domain(_ base: String, _ r: inout DemoRandom) -> String {
            domainName(base, style: style, country: country, city: city, &r)
        }
        for attempt in 0..<24 {
            let base = companyBase(style: style, industry: industry, country: country, city: city, &r)
            var distinct = base
            if attempt >= 16 {
                distinct += " " + country.cities[country.cityWeights.pick(&r)]
            } else if attempt >= 8 {
                distinct += " " + r.pick(parts.modifiers)
            }
            let name = legalName(distinct, country, &r)
            if !used.contains(name) { return (name, domain(base, &r)) }
        }
        let base = companyBase(style: style, industry: industry, country: country, city: city, &r)
        var k = 2
        var name = legalName(base + " 2", country, &r)
        while used.contains(name) {
            k += 1
            name = legalName(base + " \(k)", country, &r)
        }
        return (name, domain(base, &r))
    }

    func legalName(_ base: String, _ country: DemoCountry, _ r: inout DemoRandom) -> String {
        let form = country.legalForms[country.legalWeights.pick(&r)]
        return form.isEmpty ? base : base + " " + form
    }

    /// A company name without its legal form.
    func companyBase(style: DemoCompanyStyle, industry: Int, country: DemoCountry, city: Int,
                     _ r: inout DemoRandom) -> String {
        let parts = DemoPlaces.nameParts[style.rawValue]
        let pool = DemoPeople.pools[style.culture.rawValue]
        let business = r.pick(DemoPlaces.industries[industry].words[style.rawValue])
        func surname(_ r: inout DemoRandom) -> String { pool.last[pool.lastWeights.pick(&r)] }
        func join(_ root: String, _ r: inout DemoRandom) -> String {
            r.chance(parts.businessFirst) ? business + " " + root : root + " " + business
        }
        func coined(_ r: inout DemoRandom) -> String {
            if parts.prefixes.isEmpty || r.chance(0.2) { return r.pick(parts.places) }
            let p = r.pick(parts.prefixes)
            var s = r.pick(parts.suffixes)
            if p.lowercased().hasSuffix(s) { s = parts.suffixes[0] == s ? parts.suffixes[1] : parts.suffixes[0] }
            return p + s
        }
        let base: String
        switch r.below(100) {
        case 0..<48: base = join(coined(&r), &r)
        case 48..<73: base = join(surname(&r), &r)
        case 73..<81: base = join(country.cities[city], &r)
        case 81..<88: base = join(surname(&r) + parts.joiner + surname(&r), &r)
        case 88..<94: base = surname(&r) + " " + parts.familyForm
        default:
            let root = r.chance(0.5) ? surname(&r) : coined(&r)
            base = parts.groupWordFirst ? parts.groupWord + " " + root : root + " " + parts.groupWord
        }
        return base
    }

    /// "Bergmann Maschinenbau" -> "bergmann-maschinenbau.de"; long names keep only their first word.
    func domainName(_ base: String, style: DemoCompanyStyle, country: DemoCountry, city: Int,
                    _ r: inout DemoRandom) -> String {
        let german = style == .german
        let words = base.split(separator: " ").map { demoSlug(String($0), umlautWithE: german) }.filter { !$0.isEmpty }
        var label = words.joined(separator: german && r.chance(0.4) ? "-" : "")
        if label.count > 22, let first = words.first { label = first.count < 5 && words.count > 1 ? first + words[1] : first }
        let tld = r.chance(0.12) ? "com" : country.isCatalan(city: city) && r.chance(0.3) ? "cat" : country.tld
        return label + "." + tld
    }

    // MARK: contacts

    mutating func makeContacts() {
        let n = counts.contacts
        beginPhase("contacts", rows: n)
        var r = random(4)
        let nAccounts = accountName.count

        // Who works where, and since when: people join the CRM mostly soon after their company does.
        var planAccount = [Int32](repeating: -1, count: n)
        var planCreated = [Int64](repeating: 0, count: n)
        for i in 0..<n {
            if nAccounts > 0, !r.chance(0.05) {
                let a = accountWeights.pick(&r)
                planAccount[i] = Int32(a)
                let t = accountCreated[a] + Int64(r.skewedUnit() * Double(now - accountCreated[a]))
                let moment = past(DemoBuilder.officeTime(DemoBuilder.day(of: t), &r), &r)
                planCreated[i] = min(now, max(accountCreated[a] + 60, moment))
            } else {
                planCreated[i] = past(DemoBuilder.officeTime(today - Int64(r.unit() * 1_460), &r), &r)
            }
        }
        let order = DemoBuilder.chronologicalOrder(planCreated)

        let titleWeights = DemoWeights(DemoPhrases.titles.map(\.weight))
        let roleNames = ["decision maker", "buyer", "influencer", "user"]
        let titleRoles = DemoPhrases.titles.map { code("contact_role", $0.role) }
        let roleCodes = roleNames.map { code("contact_role", $0) }
        contactAccount.reserveCapacity(n)
        contactCreated.reserveCapacity(n)
        contactFirst.reserveCapacity(n)
        contactLast.reserveCapacity(n)
        contactEmail.reserveCapacity(n)
        var places = [UInt16]()
        places.reserveCapacity(n)

        for (pos, p) in order.enumerated() {
            let a = Int(planAccount[Int(p)])
            let created = planCreated[Int(p)]
            var countryIndex: Int, city: Int
            if a >= 0 {
                countryIndex = Int(accountCountry[a])
                let country = DemoPlaces.countries[countryIndex]
                city = r.chance(0.9) ? Int(accountCity[a]) : country.cityWeights.pick(&r)
            } else {
                countryIndex = DemoPlaces.countryWeights.pick(&r)
                city = DemoPlaces.countries[countryIndex].cityWeights.pick(&r)
            }
            let country = DemoPlaces.countries[countryIndex]
            let culture = country.peopleMix(city: city).pick(&r)
            let pool = DemoPeople.pools[culture.rawValue]
            let name = DemoPeople.name(pool, culture, &r)
            let first = pool.first[name.first], last = pool.last[name.last]
            let email: String? = r.chance(0.03) ? nil
                : personEmail(pool, name, workDomain: a >= 0 ? accountDomain[a] : nil, workShare: 0.8, &r)
            places.append(UInt16(countryIndex) << 8 | UInt16(city))
            contactAccount.append(Int32(a))
            contactCreated.append(created)
            contactFirst.append(first)
            contactLast.append(last)
            contactEmail.append(email)
            tick(pos)
        }
        let first = contactFirst, last = contactLast, email = contactEmail, account = contactAccount
        let created = contactCreated, seed = seed
        // What no later entity needs is drawn on the writer's thread, from a stream of its own.
        write("contacts", rows: n) { [places] c in
            var r = DemoRandom(seed: seed, stream: 14)
            var row = [StoredValue](repeating: .null, count: 10)
            for i in 0..<n {
                let country = DemoPlaces.countries[Int(places[i] >> 8)]
                let t = titleWeights.pick(&r)
                row[0] = .text(first[i])
                row[1] = .text(last[i])
                row[2] = .text(email[i])
                row[3] = .text(r.chance(0.08) ? nil : DemoBuilder.phoneNumber(r.pick(country.phonePatterns), &r))
                row[4] = .text(DemoPhrases.titles[t].title)
                row[5] = .integer(r.chance(0.88) ? titleRoles[t] : r.pick(roleCodes))
                row[6] = DemoBuilder.ref(account[i])
                row[7] = .text(country.cities[Int(places[i] & 0xFF)])
                row[8] = .text(country.name)
                row[9] = .integer(created[i])
                c.append(id: Int64(i + 1), row)
            }
        }

        // Each account's contacts in id order, which is also creation order.
        accountContactStart = [Int32](repeating: 0, count: nAccounts + 1)
        for a in contactAccount where a >= 0 { accountContactStart[Int(a) + 1] += 1 }
        for a in 0..<nAccounts { accountContactStart[a + 1] += accountContactStart[a] }
        var fill = accountContactStart
        accountContacts = [Int32](repeating: 0, count: Int(accountContactStart[nAccounts]))
        for (i, a) in contactAccount.enumerated() where a >= 0 {
            accountContacts[Int(fill[Int(a)])] = Int32(i)
            fill[Int(a)] += 1
        }
        endPhase()
    }

    func contacts(of account: Int) -> ArraySlice<Int32> {
        accountContacts[Int(accountContactStart[account])..<Int(accountContactStart[account + 1])]
    }

    /// first.last at the company's domain for most people with a company (`workShare`), otherwise a
    /// mailbox at one of the big providers, often with a number because the plain name was taken.
    func personEmail(_ pool: DemoNamePool, _ name: DemoName, workDomain: String?, workShare: Double,
                     _ r: inout DemoRandom) -> String {
        let first = pool.firstSlug[name.first], last = pool.lastSlug[name.last]
        if let workDomain, r.chance(workShare) {
            return r.chance(0.9) ? first + "." + last + "@" + workDomain : String(first.prefix(1)) + last + "@" + workDomain
        }
        let u = r.unit()
        let provider = u < 0.66 ? "gmail.com" : u < 0.84 ? "outlook.com" : u < 0.96 ? "hotmail.com" : "yahoo.com"
        let local = r.chance(0.6) ? first + "." + last : first + last + String(r.between(10, 99))
        return local + "@" + provider
    }

    /// Fills a pattern such as "+47 9## ## ###": `#` becomes any digit, `N` a digit from 2 to 9.
    static func phoneNumber(_ pattern: String, _ r: inout DemoRandom) -> String {
        var bytes = Array(pattern.utf8)
        for i in bytes.indices {
            if bytes[i] == UInt8(ascii: "#") {
                bytes[i] = UInt8(ascii: "0") + UInt8(r.below(10))
            } else if bytes[i] == UInt8(ascii: "N") {
                bytes[i] = UInt8(ascii: "2") + UInt8(r.below(8))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
