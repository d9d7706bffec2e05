/// The catalog positions of the products in one state (active, or discontinued), in
/// ascending order, counted in a Fenwick tree: the member at a rank, a position's rank, and
/// adding or removing a position each take O(log n), whatever the catalog's size. A sorted
/// array shifted its tail on every discontinuation and reactivation, which with 100,000
/// products made the generator twice as slow.
struct RankedPositions {
  /// `tree[i]` (from 1) counts the members among positions `i - lowbit(i) ..< i`.
  private var tree: [Int] = [0]
  /// How many positions are members.
  private(set) var count = 0

  /// How many positions there are, members or not.
  var positionCount: Int { tree.count - 1 }

  /// Adds the next position (the next product created), a member or not.
  mutating func appendPosition(member: Bool) {
    let index = tree.count
    let lowbit = index & -index
    tree.append(membersBefore(index - 1) - membersBefore(index - lowbit) + (member ? 1 : 0))
    if member { count += 1 }
  }

  /// Makes `position` a member; it must not be one.
  mutating func insert(_ position: Int) { update(position, by: 1) }

  /// Makes `position` no longer a member; it must be one.
  mutating func remove(_ position: Int) { update(position, by: -1) }

  /// How many members lie before `position`: a member's rank.
  func membersBefore(_ position: Int) -> Int {
    var index = position
    var sum = 0
    while index > 0 {
      sum += tree[index]
      index &= index - 1
    }
    return sum
  }

  /// The member of rank `rank` (from 0, below `count`), in ascending order.
  func member(at rank: Int) -> Int {
    // the largest index whose prefix holds no more than `rank` members, found bit by bit
    var index = 0
    var remaining = rank
    var step = 1
    while step * 2 < tree.count { step *= 2 }
    while step > 0 {
      let next = index + step
      if next < tree.count, tree[next] <= remaining {
        index = next
        remaining -= tree[next]
      }
      step /= 2
    }
    return index
  }

  private mutating func update(_ position: Int, by delta: Int) {
    var index = position + 1
    while index < tree.count {
      tree[index] += delta
      index += index & -index
    }
    count += delta
  }
}
