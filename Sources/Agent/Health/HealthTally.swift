/// An endpoint's health from its check's verdicts: it starts healthy (a new endpoint takes
/// connections at once), goes out after `fall` failures in a row and comes back after `rise`
/// passes in a row.
struct HealthTally: Equatable, Sendable {
    private(set) var healthy = true
    /// Verdicts in a row that disagree with `healthy`.
    private var streak = 0

    /// Counts one verdict; true when it changed the endpoint's health.
    mutating func record(passed: Bool, rise: Int, fall: Int) -> Bool {
        guard passed != healthy else {
            streak = 0
            return false
        }
        streak += 1
        guard streak >= (healthy ? fall : rise) else { return false }
        healthy = passed
        streak = 0
        return true
    }
}
