import Northbound
import SyctlKit
import Testing

@Suite struct ObjectIDTests {
    @Test func recognisesAnIdOfTheKind() {
        #expect(ObjectID.isID("sw-00c0ffee00c0ffee", of: .logicalSwitch))
        #expect(ObjectID.isID("fip-0123456789abcdef", of: .floatingIP))
    }

    @Test func generatedIdsAreIds() {
        var generator = SystemRandomNumberGenerator()
        for kind in ObjectKind.allCases {
            #expect(ObjectID.isID(kind.makeID(using: &generator), of: kind))
        }
    }

    @Test(arguments: [
        "frontend",              // a name
        "tn-00c0ffee00c0ffee",   // another kind's id
        "sw-00c0ffee00c0ffe",    // 15 digits
        "sw-00c0ffee00c0ffee0",  // 17 digits
        "sw-00C0FFEE00C0FFEE",   // upper case
        "sw-00c0ffee00c0ffeg",   // not hex
        "sw00c0ffee00c0ffee",    // no dash
    ])
    func treatsEverythingElseAsAName(text: String) {
        #expect(!ObjectID.isID(text, of: .logicalSwitch))
    }
}
