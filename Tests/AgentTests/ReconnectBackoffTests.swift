import Agent
import Testing

/// A random source that always returns the same value.
struct FixedRandom: RandomNumberGenerator {
    let value: UInt64
    mutating func next() -> UInt64 { value }
}

extension Duration {
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

@Suite struct ReconnectBackoffTests {
    let backoff = ReconnectBackoff(base: .milliseconds(200), cap: .seconds(10), resetAfter: .seconds(10))

    @Test func ceilingDoublesFromBaseUntilTheCap() {
        let ceilings = (0..<8).map { backoff.ceiling(forAttempt: $0).inSeconds }
        let expected = [0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 10, 10]
        for (ceiling, expected) in zip(ceilings, expected) {
            #expect(abs(ceiling - expected) < 1e-9)
        }
        #expect(backoff.ceiling(forAttempt: 10_000) == .seconds(10))
    }

    @Test func jitterSpansZeroToTheCeiling() {
        var lowest = backoff
        var zero = FixedRandom(value: 0)
        #expect(lowest.nextDelay(afterSessionLasting: .zero, using: &zero) == .zero)

        var middle = backoff
        var half = FixedRandom(value: 1 << 63)
        #expect(abs(middle.nextDelay(afterSessionLasting: .zero, using: &half).inSeconds - 0.1) < 1e-9)

        var highest = backoff
        var top = FixedRandom(value: .max)
        let delay = highest.nextDelay(afterSessionLasting: .zero, using: &top)
        #expect(delay < .milliseconds(200))
        #expect(delay > .milliseconds(199))
    }

    @Test func randomDelaysStayBelowTheirCeilingAndGrowToTheCap() {
        var schedule = backoff
        var generator = SystemRandomNumberGenerator()
        for attempt in 0..<40 {
            let delay = schedule.nextDelay(afterSessionLasting: .milliseconds(5), using: &generator)
            #expect(delay >= .zero)
            #expect(delay < backoff.ceiling(forAttempt: attempt))
            #expect(delay < .seconds(10))
        }
        #expect(schedule.attempt == 40)
    }

    @Test func longSessionResetsTheCountShortOneDoesNot() {
        var schedule = backoff
        var top = FixedRandom(value: .max)
        for _ in 0..<5 { _ = schedule.nextDelay(afterSessionLasting: .seconds(1), using: &top) }
        #expect(schedule.nextDelay(afterSessionLasting: .seconds(9), using: &top) > .seconds(6))
        #expect(schedule.nextDelay(afterSessionLasting: .seconds(11), using: &top) < .milliseconds(200))
        #expect(schedule.attempt == 1)
    }
}
