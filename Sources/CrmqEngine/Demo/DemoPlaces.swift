/// Countries, cities, industries and the words company names are made of.
///
/// The data reads as a European-American CRM: mostly Norway, Germany and Spain (the home markets of the
/// articles crmq was designed from), then the UK, the US and the other Nordic and DACH countries.

/// The naming tradition a company name is built in; indexes the per-style word lists.
enum DemoCompanyStyle: Int, CaseIterable, Sendable {
    case norwegian, swedish, danish, german, catalan, spanish, english

    /// The culture whose surnames the style's family firms are named after.
    var culture: DemoCulture {
        switch self {
        case .norwegian: .norwegian
        case .swedish: .swedish
        case .danish: .danish
        case .german: .german
        case .catalan: .catalan
        case .spanish: .spanish
        case .english: .english
        }
    }
}

struct DemoCountry: Sendable {
    let name: String
    /// Index into `DemoOrg.teams`: the sales team that covers the country.
    let team: Int
    let cities: [String]
    let cityWeights: DemoWeights
    /// The first `catalanCities` cities speak Catalan: their people and companies are named so.
    let catalanCities: Int
    let tld: String
    let legalForms: [String]
    let legalWeights: DemoWeights
    let style: DemoCompanyStyle
    let people: DemoMix
    /// Only for countries with `catalanCities`.
    let catalanPeople: DemoMix?
    /// `#` is any digit, `N` a digit 2-9 (North American area codes and exchanges).
    let phonePatterns: [String]

    init(_ name: String, team: Int, cities: [(String, Int)], catalanCities: Int = 0, tld: String,
         legal: [(String, Int)], style: DemoCompanyStyle, people: [(DemoCulture, Double)],
         other: Double, catalanPeople: [(DemoCulture, Double)]? = nil, phones: [String]) {
        self.name = name
        self.team = team
        self.cities = cities.map(\.0)
        self.cityWeights = DemoWeights(cities.map(\.1))
        self.catalanCities = catalanCities
        self.tld = tld
        self.legalForms = legal.map(\.0)
        self.legalWeights = DemoWeights(legal.map(\.1))
        self.style = style
        self.people = DemoMix(people, other: other)
        self.catalanPeople = catalanPeople.map { DemoMix($0, other: other) }
        self.phonePatterns = phones
    }

    func isCatalan(city: Int) -> Bool { city < catalanCities }

    func peopleMix(city: Int) -> DemoMix { isCatalan(city: city) ? (catalanPeople ?? people) : people }
}

/// A weighted mix of cultures, with the minority cultures spread over by `DemoPeople.otherCultures`.
struct DemoMix: Sendable {
    let cultures: [DemoCulture]
    let weights: DemoWeights

    init(_ main: [(DemoCulture, Double)], other: Double) {
        let otherTotal = DemoPeople.otherCultures.reduce(0) { $0 + $1.1 }
        let all = main + DemoPeople.otherCultures.map { ($0.0, $0.1 / otherTotal * other) }
        cultures = all.map(\.0)
        weights = DemoWeights(all.map(\.1))
    }

    func pick(_ r: inout DemoRandom) -> DemoCulture { cultures[weights.pick(&r)] }
}

struct DemoIndustry: Sendable {
    let name: String
    let weight: Int
    /// Typical revenue per employee, in whole currency units.
    let revenuePerEmployee: Double
    /// Business words by `DemoCompanyStyle.rawValue`.
    let words: [[String]]
}

/// Root words by style: parts of coined compound names, stand-alone place names, and the connecting words.
struct DemoNameParts: Sendable {
    let prefixes: [String]
    let suffixes: [String]
    let places: [String]
    /// Probability that the business word comes first ("Transportes Navarro" rather than "Navarro Transportes").
    let businessFirst: Double
    let familyForm: String
    let groupWord: String
    let groupWordFirst: Bool
    let joiner: String
    let modifiers: [String]
}

enum DemoPlaces {
    static let teamNordics = 0, teamDACH = 1, teamIberia = 2, teamUKI = 3, teamNorthAmerica = 4

    static let countries: [DemoCountry] = [
        DemoCountry("Norway", team: teamNordics, cities: [
            ("Oslo", 40), ("Bergen", 15), ("Trondheim", 12), ("Stavanger", 12), ("Drammen", 5), ("Kristiansand", 5),
            ("Tromsø", 4), ("Fredrikstad", 3), ("Ålesund", 4),
        ], tld: "no", legal: [("AS", 94), ("ASA", 6)], style: .norwegian,
        people: [(.norwegian, 76), (.swedish, 5), (.danish, 3), (.english, 4)], other: 12,
        phones: ["+47 9## ## ###", "+47 4## ## ###", "+47 2# ## ## ##"]),
        DemoCountry("Germany", team: teamDACH, cities: [
            ("Berlin", 22), ("München", 18), ("Hamburg", 16), ("Köln", 11), ("Frankfurt", 11), ("Stuttgart", 8),
            ("Düsseldorf", 7), ("Leipzig", 4), ("Nürnberg", 4), ("Hannover", 4),
        ], tld: "de", legal: [("GmbH", 70), ("AG", 10), ("GmbH & Co. KG", 12), ("KG", 4), ("e.K.", 4)],
        style: .german, people: [(.german, 80), (.english, 3)], other: 17,
        phones: ["+49 15# ########", "+49 17# #######", "+49 16# #######", "+49 30 ########", "+49 89 #######"]),
        DemoCountry("Spain", team: teamIberia, cities: [
            ("Barcelona", 30), ("Girona", 7), ("Tarragona", 6), ("Lleida", 4), ("Madrid", 25), ("València", 10),
            ("Sevilla", 6), ("Bilbao", 6), ("Málaga", 4), ("Zaragoza", 4),
        ], catalanCities: 4, tld: "es", legal: [("SL", 78), ("SA", 20), ("SLU", 2)], style: .spanish,
        people: [(.spanish, 80), (.catalan, 5), (.english, 3)], other: 12,
        catalanPeople: [(.catalan, 60), (.spanish, 28), (.english, 2)],
        phones: ["+34 6## ## ## ##", "+34 6## ### ###", "+34 9## ## ## ##"]),
        DemoCountry("United Kingdom", team: teamUKI, cities: [
            ("London", 40), ("Manchester", 12), ("Birmingham", 10), ("Edinburgh", 8), ("Glasgow", 7),
            ("Bristol", 7), ("Leeds", 7), ("Cambridge", 5),
        ], tld: "co.uk", legal: [("Ltd", 88), ("plc", 5), ("LLP", 7)], style: .english,
        people: [(.english, 75)], other: 25,
        phones: ["+44 7### ######", "+44 20 #### ####", "+44 161 ### ####"]),
        DemoCountry("United States", team: teamNorthAmerica, cities: [
            ("New York", 22), ("San Francisco", 14), ("Chicago", 12), ("Boston", 10), ("Austin", 9),
            ("Seattle", 9), ("Denver", 7), ("Atlanta", 8),
        ], tld: "com", legal: [("Inc", 60), ("LLC", 30), ("Corp", 10)], style: .english,
        people: [(.english, 66), (.spanish, 12)], other: 22,
        phones: ["+1 (N##) N##-####", "+1 N##-N##-####"]),
        DemoCountry("Sweden", team: teamNordics, cities: [
            ("Stockholm", 45), ("Göteborg", 22), ("Malmö", 15), ("Uppsala", 9), ("Linköping", 9),
        ], tld: "se", legal: [("AB", 100)], style: .swedish,
        people: [(.swedish, 80), (.norwegian, 3), (.english, 3)], other: 14,
        phones: ["+46 70 ### ## ##", "+46 73 ### ## ##", "+46 8 ### ### ##"]),
        DemoCountry("Denmark", team: teamNordics, cities: [
            ("København", 50), ("Aarhus", 22), ("Odense", 15), ("Aalborg", 13),
        ], tld: "dk", legal: [("A/S", 60), ("ApS", 40)], style: .danish,
        people: [(.danish, 82), (.swedish, 3), (.english, 3)], other: 12,
        phones: ["+45 2# ## ## ##", "+45 3# ## ## ##", "+45 4# ## ## ##"]),
        DemoCountry("Austria", team: teamDACH, cities: [
            ("Wien", 55), ("Graz", 18), ("Linz", 15), ("Salzburg", 12),
        ], tld: "at", legal: [("GmbH", 85), ("AG", 15)], style: .german,
        people: [(.german, 85)], other: 15,
        phones: ["+43 664 #######", "+43 1 #######"]),
        DemoCountry("Switzerland", team: teamDACH, cities: [
            ("Zürich", 45), ("Basel", 22), ("Bern", 18), ("Luzern", 15),
        ], tld: "ch", legal: [("AG", 60), ("GmbH", 40)], style: .german,
        people: [(.german, 80), (.italian, 5)], other: 15,
        phones: ["+41 79 ### ## ##", "+41 44 ### ## ##"]),
        DemoCountry("Ireland", team: teamUKI, cities: [
            ("Dublin", 65), ("Cork", 20), ("Galway", 15),
        ], tld: "ie", legal: [("Ltd", 90), ("DAC", 10)], style: .english,
        people: [(.english, 85)], other: 15,
        phones: ["+353 8# ### ####", "+353 1 ### ####"]),
        DemoCountry("Canada", team: teamNorthAmerica, cities: [
            ("Toronto", 50), ("Vancouver", 28), ("Montréal", 22),
        ], tld: "ca", legal: [("Inc", 70), ("Ltd", 30)], style: .english,
        people: [(.english, 75)], other: 25,
        phones: ["+1 (N##) N##-####"]),
    ]

    /// Shares of accounts (and leads) per country, in `countries` order.
    static let countryWeights = DemoWeights([20, 20, 17, 11, 12, 7, 5, 3, 3, 2, 2] as [Int])

    static let industries: [DemoIndustry] = [
        DemoIndustry(name: "Software", weight: 12, revenuePerEmployee: 180_000, words: [
            ["Data", "Software", "Teknologi", "IT"], ["Data", "IT", "Software"], ["IT", "Software", "Data"],
            ["Software", "Informatik", "IT-Systeme", "Digital"], ["Software", "Sistemes", "Tecnologia"],
            ["Software", "Sistemas", "Tecnología"], ["Software", "Analytics", "Labs", "Technologies", "Digital"]]),
        DemoIndustry(name: "Manufacturing", weight: 11, revenuePerEmployee: 220_000, words: [
            ["Industri", "Mekaniske Verksted", "Produksjon"], ["Industri", "Verkstad", "Mekaniska"],
            ["Industri", "Maskinfabrik"], ["Maschinenbau", "Werkzeugbau", "Metallwerke", "Kunststofftechnik"],
            ["Tèxtil", "Metal·lúrgica", "Industrial"], ["Industrial", "Metalúrgica", "Fabricaciones"],
            ["Manufacturing", "Industries", "Fabrication", "Engineering"]]),
        DemoIndustry(name: "Retail", weight: 9, revenuePerEmployee: 250_000, words: [
            ["Handel", "Detaljhandel"], ["Handel", "Butiker"], ["Handel", "Detail"],
            ["Handel", "Warenhaus", "Einzelhandel"], ["Comerç", "Botigues"], ["Comercial", "Distribuciones"],
            ["Retail", "Stores", "Outfitters", "Trading"]]),
        DemoIndustry(name: "Financial Services", weight: 8, revenuePerEmployee: 300_000, words: [
            ["Finans", "Regnskap", "Forsikring", "Kapital"], ["Finans", "Kapital", "Försäkring"],
            ["Finans", "Kapital", "Revision"], ["Finanz", "Versicherung", "Vermögensberatung", "Treuhand"],
            ["Finances", "Assegurances", "Gestoria"], ["Finanzas", "Seguros", "Asesores"],
            ["Capital", "Financial", "Insurance", "Wealth"]]),
        DemoIndustry(name: "Consulting", weight: 8, revenuePerEmployee: 150_000, words: [
            ["Rådgivning", "Konsulent", "Consulting"], ["Konsult", "Rådgivning"], ["Rådgivning", "Consult"],
            ["Beratung", "Consulting", "Unternehmensberatung"], ["Consultoria", "Assessors"],
            ["Consultoría", "Consultores"], ["Consulting", "Advisory", "Partners"]]),
        DemoIndustry(name: "Logistics", weight: 7, revenuePerEmployee: 200_000, words: [
            ["Logistikk", "Transport", "Frakt", "Spedisjon"], ["Logistik", "Transport", "Åkeri"],
            ["Logistik", "Transport", "Fragt"], ["Logistik", "Spedition", "Transporte"],
            ["Logística", "Transports"], ["Logística", "Transportes"], ["Logistics", "Freight", "Shipping", "Haulage"]]),
        DemoIndustry(name: "Healthcare", weight: 7, revenuePerEmployee: 120_000, words: [
            ["Helse", "Medisinske", "Klinikk"], ["Vård", "Medicinteknik", "Hälsa"], ["Sundhed", "Medico", "Klinik"],
            ["Medizintechnik", "Klinik", "Pflegedienste", "Gesundheit"], ["Salut", "Clínica", "Mèdica"],
            ["Salud", "Clínica", "Médica"], ["Health", "Medical", "Care", "Diagnostics"]]),
        DemoIndustry(name: "Construction", weight: 6, revenuePerEmployee: 180_000, words: [
            ["Bygg", "Entreprenør", "Anlegg"], ["Bygg", "Entreprenad"], ["Byg", "Entreprise"],
            ["Bau", "Hochbau", "Bauunternehmen"], ["Construccions", "Obres"], ["Construcciones", "Obras"],
            ["Construction", "Builders", "Contractors"]]),
        DemoIndustry(name: "Real Estate", weight: 5, revenuePerEmployee: 350_000, words: [
            ["Eiendom", "Eiendomsutvikling"], ["Fastigheter"], ["Ejendomme"], ["Immobilien", "Grundbesitz"],
            ["Immobiliària", "Finques"], ["Inmobiliaria", "Promociones"], ["Properties", "Real Estate", "Estates"]]),
        DemoIndustry(name: "Food & Beverage", weight: 5, revenuePerEmployee: 200_000, words: [
            ["Sjømat", "Bryggeri", "Bakeri", "Matvarer"], ["Livsmedel", "Bryggeri", "Bageri"],
            ["Fødevarer", "Bryggeri", "Mejeri"], ["Brauerei", "Lebensmittel", "Feinkost", "Backwaren"],
            ["Vins", "Cellers", "Alimentació", "Formatges"], ["Alimentación", "Bodegas", "Conservas", "Aceites"],
            ["Foods", "Brewing", "Beverages", "Bakery"]]),
        DemoIndustry(name: "Energy", weight: 4, revenuePerEmployee: 500_000, words: [
            ["Energi", "Kraft", "Solkraft"], ["Energi", "Kraft"], ["Energi", "Vind", "Forsyning"],
            ["Energie", "Solartechnik", "Windkraft"], ["Energia", "Renovables"], ["Energía", "Renovables"],
            ["Energy", "Power", "Renewables", "Solar"]]),
        DemoIndustry(name: "Education", weight: 4, revenuePerEmployee: 80_000, words: [
            ["Kompetanse", "Akademi", "Kurssenter"], ["Utbildning", "Akademi"], ["Akademi", "Uddannelse"],
            ["Akademie", "Bildung", "Schulungen"], ["Acadèmia", "Formació", "Escola"],
            ["Academia", "Formación", "Escuela"], ["Learning", "Academy", "Education", "Training"]]),
        DemoIndustry(name: "Media", weight: 4, revenuePerEmployee: 150_000, words: [
            ["Media", "Forlag", "Reklame"], ["Media", "Förlag", "Reklam"], ["Medier", "Forlag", "Reklame"],
            ["Medien", "Verlag", "Werbeagentur"], ["Comunicació", "Edicions", "Publicitat"],
            ["Comunicación", "Ediciones", "Publicidad"], ["Media", "Creative", "Studios", "Publishing"]]),
        DemoIndustry(name: "Hospitality", weight: 4, revenuePerEmployee: 90_000, words: [
            ["Hotell", "Reiser"], ["Hotell", "Resor"], ["Hotel", "Rejser"], ["Hotel", "Reisen", "Gastronomie"],
            ["Hotels", "Viatges", "Restauració"], ["Hoteles", "Viajes", "Hostelería"],
            ["Hotels", "Hospitality", "Travel"]]),
        DemoIndustry(name: "Telecommunications", weight: 3, revenuePerEmployee: 350_000, words: [
            ["Telekom", "Nett", "Fiber"], ["Telekom", "Nät", "Fiber"], ["Telecom", "Net", "Fiber"],
            ["Telekommunikation", "Netze", "Glasfaser"], ["Telecom", "Telecomunicacions", "Xarxes"],
            ["Telecom", "Telecomunicaciones", "Redes"], ["Telecom", "Networks", "Communications"]]),
        DemoIndustry(name: "Automotive", weight: 3, revenuePerEmployee: 280_000, words: [
            ["Bil", "Bilsenter"], ["Bil", "Fordon"], ["Auto", "Biler"], ["Autohaus", "Fahrzeugtechnik"],
            ["Automoció", "Motors"], ["Automoción", "Motor"], ["Motors", "Automotive"]]),
    ]

    static let industryWeights = DemoWeights(industries.map(\.weight))

    /// By `DemoCompanyStyle.rawValue`.
    static let nameParts: [DemoNameParts] = [
        DemoNameParts(
            prefixes: ["Nord", "Fjord", "Vest", "Sør", "Øst", "Hav", "Fjell", "Skog", "Sol", "Stor", "Bjørke", "Gran",
                       "Elve", "Strand", "Lind", "Bakke", "Sjø", "Tinde", "Kyst", "Ask", "Eike", "Furu", "Lys", "Stein"],
            suffixes: ["vik", "heim", "nes", "dal", "berg", "lys", "land", "haug", "stad", "sund", "vang", "li",
                       "stein", "tun", "bø", "fjord"],
            places: ["Nordlys", "Lofoten", "Trollheimen", "Helgeland", "Saga", "Varden", "Polar", "Nordkapp",
                     "Viken", "Hardanger", "Jæren", "Romsdal"],
            businessFirst: 0, familyForm: "& Sønner", groupWord: "Gruppen", groupWordFirst: false, joiner: " & ",
            modifiers: ["Vest", "Nord", "Øst", "Sør", "Holding", "Service", "Invest", "Drift"]),
        DemoNameParts(
            prefixes: ["Norr", "Söder", "Väst", "Öst", "Sjö", "Björk", "Ek", "Lind", "Berg", "Sol", "Fjäll", "Ström",
                       "Gran", "Ås", "Hav", "Dal", "Sten", "Älv", "Skog", "Vinter"],
            suffixes: ["vik", "berg", "holm", "lund", "dal", "ström", "sund", "näs", "by", "gården", "hamn"],
            places: ["Norrsken", "Skärgård", "Gotland", "Norrland", "Dalarna", "Vänern", "Kattegatt", "Roslagen"],
            businessFirst: 0, familyForm: "& Söner", groupWord: "Gruppen", groupWordFirst: false, joiner: " & ",
            modifiers: ["Nord", "Syd", "Väst", "Öst", "Holding", "Service", "Invest"]),
        DemoNameParts(
            prefixes: ["Nør", "Sønder", "Vester", "Øster", "Skov", "Strand", "Hav", "Eg", "Bøg", "Lyng", "Sol", "Holm",
                       "Kilde", "Mølle", "Sø", "Vind"],
            suffixes: ["gaard", "by", "borg", "sted", "lund", "høj", "holm", "vig", "dal", "havn", "bæk"],
            places: ["Kattegat", "Jylland", "Fyn", "Nordsø", "Limfjord", "Bornholm", "Øresund", "Himmerland"],
            businessFirst: 0, familyForm: "& Søn", groupWord: "Gruppen", groupWordFirst: false, joiner: " & ",
            modifiers: ["Nord", "Syd", "Vest", "Øst", "Holding", "Service", "Invest"]),
        DemoNameParts(
            prefixes: ["Nord", "Süd", "Rhein", "Elb", "Alpen", "Sonnen", "Wald", "Berg", "Linden", "Eichen", "Falken",
                       "Adler", "Stern", "Licht", "Tannen", "Hoch", "Blau", "Grün", "Stein", "Brunnen", "Silber",
                       "Eisen", "Main", "Isar"],
            suffixes: ["tal", "feld", "berg", "hof", "stein", "wald", "bach", "burg", "haus", "werk", "mark", "blick",
                       "quelle"],
            places: ["Hansa", "Schwarzwald", "Nordstern", "Donau", "Harz", "Eifel", "Spree", "Taunus", "Allgäu",
                     "Bodensee", "Weser", "Mosel"],
            businessFirst: 0, familyForm: "& Söhne", groupWord: "Gruppe", groupWordFirst: false, joiner: " & ",
            modifiers: ["Nord", "Süd", "West", "Ost", "Holding", "Service", "Systeme", "International"]),
        DemoNameParts(
            prefixes: [], suffixes: [],
            places: ["Montseny", "Empordà", "Garraf", "Penedès", "Mediterrània", "Llevant", "Tramuntana", "Estel",
                     "Pirineu", "Maresme", "Llobregat", "Cadí", "Ebre", "Priorat", "Montjuïc", "Collserola",
                     "Canigó", "Delta", "Montsant", "Segre"],
            businessFirst: 0.5, familyForm: "i Fills", groupWord: "Grup", groupWordFirst: true, joiner: " i ",
            modifiers: ["Nord", "Sud", "Global", "Serveis", "Mediterrani", "Integral"]),
        DemoNameParts(
            prefixes: [], suffixes: [],
            places: ["Ibérica", "Castilla", "Solana", "Atlántico", "Cantábrico", "Sierra", "Guadalquivir", "Mirador",
                     "Levante", "Alborada", "Meseta", "Horizonte", "Miramar", "Albufera", "Duero", "Alcázar"],
            businessFirst: 0.65, familyForm: "e Hijos", groupWord: "Grupo", groupWordFirst: true, joiner: " y ",
            modifiers: ["Norte", "Sur", "Global", "Servicios", "Integral", "Hermanos"]),
        DemoNameParts(
            prefixes: ["North", "South", "West", "East", "Blue", "Red", "Green", "Silver", "Iron", "Stone", "Oak",
                       "Pine", "Cedar", "Maple", "Bright", "Clear", "River", "Lake", "Fair", "High", "Key", "Sun",
                       "Star", "Golden", "Bay", "Cross"],
            suffixes: ["bridge", "field", "wood", "stone", "point", "line", "path", "view", "gate", "ridge", "water",
                       "brook", "ford", "crest", "haven", "way", "well"],
            places: ["Harbor", "Summit", "Pinnacle", "Beacon", "Atlas", "Horizon", "Keystone", "Sterling",
                     "Evergreen", "Crescent", "Meridian", "Vantage", "Apex", "Northstar", "Lighthouse", "Granite"],
            businessFirst: 0, familyForm: "& Sons", groupWord: "Group", groupWordFirst: false, joiner: " & ",
            modifiers: ["Group", "Holdings", "International", "Global", "Solutions", "Partners", "Services"]),
    ]
}
