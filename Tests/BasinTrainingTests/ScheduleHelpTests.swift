import Testing

@testable import BasinTraining

@Suite("Schedule help")
struct ScheduleHelpTests {
    @Test("lists every kind and every key with its default or 'required'")
    func listsEverything() {
        let help = scheduleHelpText
        for kind in scheduleKinds {
            #expect(help.contains("\n\(kind.name): "), "kind \(kind.name)")
            for key in kind.keys {
                let fallback = key.defaultValue.map { "default \($0)" } ?? "required"
                #expect(help.contains("  \(key.name) "), "key \(kind.name).\(key.name)")
                #expect(help.contains("[\(fallback)]"), "default of \(kind.name).\(key.name)")
            }
        }
        #expect(help.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }

    @Test("every listed numeric default is the value the parser uses")
    func defaultsAgree() throws {
        // Give only the required keys (with arbitrary values), then compare each default.
        for kind in scheduleKinds {
            let required = kind.keys.filter { $0.defaultValue == nil }.map { key in
                key.name == "milestones" ? "milestones=10/20" : "\(key.name)=\(7)"
            }
            // gamma is written only for exp_range.
            let mode = kind.name == "clr" ? ["mode=exp_range"] : []
            let text = "\(kind.name):" + (mode + required).joined(separator: ",")
            let schedule = try Schedule(parsing: text)
            let written = schedule.specification
            for key in kind.keys {
                guard let fallback = key.defaultValue, Double(fallback) != nil else { continue }
                let value = Double(fallback)!
                #expect(
                    written.contains("\(key.name)=\(formatNumber(value))")
                        || (key.name == "step" && written.contains("up=\(formatNumber(value))")),
                    "\(kind.name).\(key.name) default \(fallback) vs \(written)")
            }
        }
    }
}
