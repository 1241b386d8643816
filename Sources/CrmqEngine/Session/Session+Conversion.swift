/// `convert lead ...` in a session: the lead found by id or name, the conversion's changes
/// committed as one unit (inside an open transaction they join it).
extension Session {
    mutating func executeConversion(_ conversion: BoundConversion, on console: inout some Console,
                                    cancellation: Cancellation) throws(Diagnostic) {
        let (id, _) = try resolveRecord(conversion.lead, verb: "convert lead", cancellation: cancellation)
        try read(LeadConversion.entities)
        // The new deal enters its first stage: that stage's exit criteria apply, as to `create`.
        let result = try LeadConversion(db: try permittedData(cancellation: cancellation), binder: binder, now: changeTime, user: user,
                                        rules: try exitRules(for: Database.dealEntity), cancellation: cancellation).run(lead: id, conversion.opportunity,
                                                                        at: conversion.lead.range)
        try commit(result.changes, summary: result.summary, on: &console, cancellation: cancellation)
    }
}
