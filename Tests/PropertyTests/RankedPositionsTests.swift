import Testing

@testable import ChaosOracle

@Suite("Ranked positions: the world's lists of active and discontinued products")
struct RankedPositionsTests {
  /// Random appends, insertions and removals, each followed by every query, against a
  /// plain sorted array of the members.
  @Test("ranks and members agree with a sorted list", arguments: [1, 2, 3, 4] as [UInt64])
  func agreesWithSortedList(seed: UInt64) {
    var stream = RandomStream(seed: seed, component: "ranked-positions-test")
    var ranked = RankedPositions()
    var members: [Int] = []
    var positions = 0
    for _ in 0..<600 {
      let choice = stream.below(4)
      if choice == 0 || positions == 0 {
        let member = stream.chance(0.5)
        ranked.appendPosition(member: member)
        if member { members.append(positions) }
        positions += 1
      } else {
        let position = stream.index(below: positions)
        if let index = members.firstIndex(of: position) {
          ranked.remove(position)
          members.remove(at: index)
        } else {
          ranked.insert(position)
          members.insert(position, at: members.firstIndex { $0 > position } ?? members.count)
        }
      }
      #expect(ranked.count == members.count)
      #expect(ranked.positionCount == positions)
      #expect((0..<members.count).map(ranked.member(at:)) == members)
      #expect(
        (0...positions).map(ranked.membersBefore)
          == (0...positions).map { end in
            members.count { $0 < end }
          })
    }
  }
}
