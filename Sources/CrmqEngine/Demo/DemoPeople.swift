/// People's names for the demo data, by culture.
///
/// Each list runs from the most to the least common name, and names are drawn with Zipf-like weights,
/// so "Smith", "Hansen" and "Müller" come up about as often, relative to the rest, as they do in life.
enum DemoCulture: Int, CaseIterable, Sendable {
    case norwegian, swedish, danish, german, catalan, spanish, english
    case arabic, southAsian, eastAsian, polishMale, polishFemale, russianMale, russianFemale
    case turkish, dutch, italian, finnish, westAfrican

    /// German-speaking addresses write ü as "ue"; elsewhere the accent is just dropped.
    var spellsUmlautWithE: Bool { self == .german }
}

/// The names of one culture, with their spellings for email addresses worked out once.
struct DemoNamePool: Sendable {
    let first: [String]
    let last: [String]
    let firstSlug: [String]
    let lastSlug: [String]
    let firstWeights: DemoWeights
    let lastWeights: DemoWeights

    init(_ culture: DemoCulture, first: [String], last: [String]) {
        self.first = first
        self.last = last
        firstSlug = first.map { demoSlug($0, umlautWithE: culture.spellsUmlautWithE) }
        lastSlug = last.map { demoSlug($0, umlautWithE: culture.spellsUmlautWithE) }
        firstWeights = DemoWeights(zipfCount: first.count, offset: 8)
        lastWeights = DemoWeights(zipfCount: last.count, offset: 6)
    }
}

/// A drawn name: indexes into one pool, so the text and its email spelling need no work per row.
struct DemoName {
    var culture: DemoCulture
    var first: Int
    var last: Int
}

enum DemoPeople {
    /// Indexed by `DemoCulture.rawValue`.
    static let pools: [DemoNamePool] = DemoCulture.allCases.map(pool)

    /// How the cultures without a country of their own in the data are mixed into every country's people.
    static let otherCultures: [(DemoCulture, Double)] = [
        (.arabic, 15), (.southAsian, 15), (.eastAsian, 12), (.polishMale, 6), (.polishFemale, 6),
        (.russianMale, 4), (.russianFemale, 5), (.turkish, 9), (.dutch, 10), (.italian, 8),
        (.finnish, 5), (.westAfrican, 5),
    ]

    static func name(_ pool: DemoNamePool, _ culture: DemoCulture, _ r: inout DemoRandom) -> DemoName {
        DemoName(culture: culture, first: pool.firstWeights.pick(&r), last: pool.lastWeights.pick(&r))
    }

    private static func pool(_ c: DemoCulture) -> DemoNamePool {
        switch c {
        case .norwegian: DemoNamePool(c, first: [
            "Kari", "Ola", "Ingrid", "Lars", "Silje", "Magnus", "Nora", "Henrik", "Ida", "Jonas", "Marte", "Eirik",
            "Solveig", "Håkon", "Astrid", "Sindre", "Thea", "Kristian", "Maren", "Øystein", "Sigrid", "Anders",
            "Hanne", "Torbjørn", "Liv", "Espen", "Camilla", "Per", "Tone", "Vegard", "Ragnhild", "Bjørn",
            "Synnøve", "Trond", "Ane", "Geir", "Kjersti", "Sverre",
        ], last: [
            "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
            "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen", "Andreassen",
            "Jacobsen", "Dahl", "Halvorsen", "Henriksen", "Lund", "Sørensen", "Moen", "Gundersen", "Iversen",
            "Strand", "Solberg", "Svendsen", "Eide", "Knutsen", "Martinsen", "Nordmann", "Bakken", "Lie",
            "Sæther", "Fjeld", "Smeby", "Aasen", "Løken", "Bråten", "Smedsrud", "Haugland", "Øvrebø",
        ])
        case .swedish: DemoNamePool(c, first: [
            "Erik", "Anna", "Lars", "Maria", "Karl", "Eva", "Johan", "Karin", "Per", "Kristina", "Anders", "Sara",
            "Mikael", "Elin", "Fredrik", "Emma", "Oskar", "Linnea", "Gustav", "Maja", "Axel", "Ebba", "Viktor",
            "Frida", "Nils", "Ingela",
        ], last: [
            "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
            "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Lindberg",
            "Lindqvist", "Lindström", "Bergström", "Sjöberg", "Holmgren", "Lundgren", "Ekström", "Sandberg",
            "Forsberg", "Smedberg", "Åkesson",
        ])
        case .danish: DemoNamePool(c, first: [
            "Mads", "Mette", "Rasmus", "Freja", "Søren", "Louise", "Jens", "Camilla", "Mikkel", "Sofie",
            "Frederik", "Ida", "Christian", "Maria", "Anders", "Julie", "Kasper", "Line", "Niels", "Signe",
        ], last: [
            "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
            "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen",
            "Poulsen", "Johansen", "Møller", "Mortensen", "Holm", "Skov", "Dalgaard", "Smidt",
        ])
        case .german: DemoNamePool(c, first: [
            "Thomas", "Anna", "Michael", "Julia", "Stefan", "Laura", "Lukas", "Katharina", "Andreas", "Sabine",
            "Jonas", "Lea", "Felix", "Sophie", "Maximilian", "Tobias", "Jürgen", "Matthias", "Claudia", "Florian",
            "Hannah", "Monika", "Markus", "Petra", "Sebastian", "Birgit", "Uwe", "Lena", "Niklas", "Franziska",
            "Dieter", "Johanna", "Ursula", "Susanne", "Wolfgang", "Kerstin", "Jörg", "Anke",
        ], last: [
            "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
            "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz",
            "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz",
            "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter",
            "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Vogel",
            "Bergmann", "Brandt", "Keller", "Smolka", "Smolinski",
        ])
        case .catalan: DemoNamePool(c, first: [
            "Jordi", "Montserrat", "Marc", "Núria", "Pau", "Laia", "Joan", "Anna", "Oriol", "Mireia", "Xavier",
            "Meritxell", "Albert", "Marta", "Sergi", "Carme", "Àlex", "Roser", "Pere", "Gemma", "Arnau", "Júlia",
            "Jaume", "Aina", "Ferran", "Berta", "Quim", "Neus",
        ], last: [
            "Garcia", "Martínez", "Puig", "Vila", "Soler", "Ferrer", "Serra", "Vidal", "Pujol", "Roca", "Font",
            "Casals", "Riera", "Mas", "Sala", "Costa", "Bosch", "Pons", "Roig", "Sabaté", "Vendrell", "Camps",
            "Bonet", "Coll", "Prat", "Castells", "Planas", "Rovira", "Batlle", "Estruch", "Grau", "Solé",
        ])
        case .spanish: DemoNamePool(c, first: [
            "María", "Carlos", "Lucía", "Javier", "Carmen", "Alejandro", "Elena", "Pablo", "Isabel", "Manuel",
            "Laura", "Antonio", "Ana", "David", "Cristina", "Daniel", "Marta", "Francisco", "Paula", "José",
            "Raquel", "Sergio", "Beatriz", "Jorge", "Silvia", "Miguel", "Pilar", "Diego",
        ], last: [
            "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
            "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso",
            "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano",
            "Blanco", "Molina", "Ortega", "Castro", "Rubio", "Delgado",
        ])
        case .english: DemoNamePool(c, first: [
            "James", "Sarah", "David", "Emma", "Michael", "Emily", "John", "Charlotte", "Daniel", "Jessica",
            "Oliver", "Sophie", "William", "Olivia", "Thomas", "Grace", "Robert", "Jennifer", "Christopher",
            "Amanda", "Matthew", "Megan", "Andrew", "Rachel", "Ryan", "Lauren", "Jack", "Chloe", "Harry",
            "Hannah", "George", "Rebecca", "Samuel", "Katherine", "Benjamin", "Lucy", "Joshua", "Ashley",
            "Patrick", "Siobhan", "Ciarán", "Aoife",
        ], last: [
            "Smith", "Jones", "Williams", "Brown", "Taylor", "Johnson", "Davies", "Wilson", "Evans", "Thomas",
            "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall",
            "Miller", "Davis", "Anderson", "Clark", "Lewis", "Young", "King", "Harris", "Martin", "Jackson",
            "Moore", "Allen", "Scott", "Baker", "Murphy", "Kelly", "O'Brien", "Walsh", "Campbell", "Stewart",
            "Mitchell", "Carter", "Turner", "Phillips", "Cooper", "Ward", "Byrne", "Smyth", "Smart", "Smithson",
        ])
        case .arabic: DemoNamePool(c, first: [
            "Mohammed", "Fatima", "Ahmed", "Aisha", "Omar", "Leila", "Youssef", "Mariam", "Karim", "Nour",
            "Hassan", "Samira",
        ], last: [
            "Ahmed", "Hassan", "Ali", "Ibrahim", "Mahmoud", "Haddad", "Khalil", "Nasser", "Saleh", "Mansour",
            "Farah", "Aziz",
        ])
        case .southAsian: DemoNamePool(c, first: [
            "Priya", "Raj", "Arjun", "Ananya", "Rahul", "Sana", "Imran", "Neha", "Vikram", "Aarav", "Kavya",
            "Zainab",
        ], last: [
            "Patel", "Khan", "Singh", "Sharma", "Kumar", "Gupta", "Shah", "Iqbal", "Reddy", "Chaudhry", "Mehta",
            "Rao",
        ])
        case .eastAsian: DemoNamePool(c, first: [
            "Wei", "Mei", "Hiroshi", "Yuki", "Min-jun", "Ji-woo", "Li", "Haruto", "Sakura", "Jun", "Xiu", "Kenji",
        ], last: [
            "Chen", "Wang", "Li", "Zhang", "Nguyen", "Tanaka", "Kim", "Park", "Sato", "Liu", "Tran", "Suzuki",
        ])
        case .polishMale: DemoNamePool(c, first: [
            "Piotr", "Tomasz", "Krzysztof", "Paweł", "Michał", "Marcin", "Jakub", "Łukasz",
        ], last: [
            "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Smolarek",
        ])
        case .polishFemale: DemoNamePool(c, first: [
            "Katarzyna", "Anna", "Agnieszka", "Magdalena", "Joanna", "Monika", "Natalia", "Zofia",
        ], last: [
            "Nowak", "Kowalska", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowska", "Zielińska", "Smolarek",
        ])
        case .russianMale: DemoNamePool(c, first: [
            "Dmitri", "Ivan", "Sergei", "Alexei", "Mikhail", "Andrei", "Nikolai", "Pavel",
        ], last: [
            "Smirnov", "Ivanov", "Kuznetsov", "Popov", "Petrov", "Volkov", "Sokolov", "Morozov",
        ])
        case .russianFemale: DemoNamePool(c, first: [
            "Olga", "Anastasia", "Natalia", "Elena", "Irina", "Tatiana", "Ekaterina", "Svetlana",
        ], last: [
            "Smirnova", "Ivanova", "Kuznetsova", "Popova", "Petrova", "Volkova", "Sokolova", "Morozova",
        ])
        case .turkish: DemoNamePool(c, first: [
            "Mehmet", "Elif", "Mustafa", "Zeynep", "Ahmet", "Ayşe", "Emre", "Fatma", "Can", "Selin",
        ], last: [
            "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan",
        ])
        case .dutch: DemoNamePool(c, first: [
            "Daan", "Sanne", "Bram", "Lotte", "Jeroen", "Femke", "Thijs", "Anouk", "Joost", "Eva", "Pieter",
        ], last: [
            "de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smits", "van Dijk", "Mulder",
            "Meijer", "Smit", "de Boer",
        ])
        case .italian: DemoNamePool(c, first: [
            "Luca", "Giulia", "Marco", "Francesca", "Alessandro", "Chiara", "Matteo", "Sara", "Lorenzo", "Elena",
        ], last: [
            "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
        ])
        case .finnish: DemoNamePool(c, first: [
            "Mikko", "Sanna", "Juha", "Laura", "Antti", "Aino", "Jukka", "Emilia", "Ville", "Katja",
        ], last: [
            "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
            "Koskinen", "Järvinen",
        ])
        case .westAfrican: DemoNamePool(c, first: [
            "Kwame", "Amara", "Kofi", "Ama", "Chinedu", "Ngozi", "Oluwaseun", "Abena", "Emeka", "Adaeze",
        ], last: [
            "Mensah", "Okafor", "Boateng", "Adeyemi", "Owusu", "Nwosu", "Asante", "Diallo", "Okonkwo", "Traoré",
        ])
        }
    }
}

/// Lower-case ASCII letters and digits only, for email addresses and web domains:
/// "Núria" -> "nuria", "Müller" -> "mueller" (German) or "muller", "O'Brien" -> "obrien".
func demoSlug(_ text: String, umlautWithE: Bool = false) -> String {
    var out = String.UnicodeScalarView()
    func add(_ s: String) { out.append(contentsOf: s.unicodeScalars) }
    for u in text.unicodeScalars {
        switch u {
        case "a"..."z", "0"..."9": out.append(u)
        case "A"..."Z": out.append(Unicode.Scalar(u.value + 32)!)
        case "à", "á", "â", "ã", "å", "ą", "À", "Á", "Â", "Å": add("a")
        case "ä", "Ä": add(umlautWithE ? "ae" : "a")
        case "æ", "Æ": add("ae")
        case "ç", "ć", "č", "Ç", "Č": add("c")
        case "è", "é", "ê", "ë", "ę", "È", "É": add("e")
        case "ì", "í", "î", "ï", "ı", "Í", "Î": add("i")
        case "ñ", "ń", "Ñ": add("n")
        case "ò", "ó", "ô", "õ", "ø", "Ò", "Ó", "Ø": add("o")
        case "ö", "Ö": add(umlautWithE ? "oe" : "o")
        case "ù", "ú", "û", "Ú": add("u")
        case "ü", "Ü": add(umlautWithE ? "ue" : "u")
        case "ß": add("ss")
        case "ł", "Ł": add("l")
        case "ś", "š", "ş", "Ş", "Š": add("s")
        case "ź", "ż", "ž", "Ż": add("z")
        case "ğ": add("g")
        case "ř": add("r")
        case "ý": add("y")
        default: break  // spaces, apostrophes, hyphens, "&", the Catalan middle dot
        }
    }
    return String(out)
}
