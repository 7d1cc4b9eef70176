import SyctlKit
import Testing

@Suite struct LabelParserTests {
    @Test func noLabelsLeaveLabelsUnset() throws {
        #expect(try LabelParser.parse([]) == nil)
    }

    @Test func splitsAtTheFirstEqualsSign() throws {
        #expect(try LabelParser.parse(["team=infra", "expr=a=b", "empty="]) == ["team": "infra", "expr": "a=b", "empty": ""])
    }

    @Test(arguments: ["team", "=infra"])
    func refusesALabelWithoutKey(argument: String) {
        #expect(throws: SyctlError.invalidArgument("invalid --label '\(argument)': write it as key=value")) {
            try LabelParser.parse([argument])
        }
    }

    @Test func refusesTheSameKeyTwice() {
        #expect(throws: SyctlError.invalidArgument("--label team is given twice")) {
            try LabelParser.parse(["team=a", "team=b"])
        }
    }
}
