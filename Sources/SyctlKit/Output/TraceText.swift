import Northbound

/// A trace as `syctl trace` prints it: a header, one numbered line per hop (kind, object, host,
/// what happened; `(not acked)` when the host has not realized that state yet), then the verdict.
enum TraceText {
    static func render(_ trace: Trace) -> String {
        let flow = trace.port.map { "\(trace.protocol.rawValue)/\($0)" } ?? trace.protocol.rawValue
        var lines = ["trace \(trace.from) → \(trace.to) (\(flow)) at revision \(trace.revision)"]
        let rows = trace.hops.enumerated().map { index, hop in
            [String(index + 1), hop.kind.rawValue, hop.object, hop.host ?? "-",
             hop.detail + (hop.realized == false ? " (not acked)" : "")]
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        lines += rows.map { row in
            (0..<4).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[4]
        }
        lines.append(trace.verdict == .delivered ? "delivered" : "dropped: \(trace.reason ?? "no reason given")")
        return lines.joined(separator: "\n")
    }
}
