import Northbound
@testable import SyctlKit
import Testing

/// `syctl trace` prints one aligned line per hop, marks hops whose host has not acked, and ends
/// with the verdict.
@Suite struct TraceTextTests {
    @Test func hopsAreNumberedAlignedAndEndInTheVerdict() {
        let trace = Trace(from: "pt-a", to: "10.1.0.9", protocol: .tcp, port: 443, revision: 7, verdict: .dropped,
                          reason: "no port on switch sw-db holds 10.1.0.9: its ARP goes unanswered", hops: [
                              TraceHop(kind: .source, object: "pt-a", host: "hv1", realized: true, detail: "10.0.0.10 on switch sw-web"),
                              TraceHop(kind: .router, object: "rt-1", host: "hv1", realized: false, detail: "distributed instance routes 10.1.0.9"),
                          ])
        let lines = TraceText.render(trace).split(separator: "\n").map(String.init)
        #expect(lines == [
            "trace pt-a → 10.1.0.9 (tcp/443) at revision 7",
            "1  source  pt-a  hv1  10.0.0.10 on switch sw-web",
            "2  router  rt-1  hv1  distributed instance routes 10.1.0.9 (not acked)",
            "dropped: no port on switch sw-db holds 10.1.0.9: its ARP goes unanswered",
        ])
    }
}
