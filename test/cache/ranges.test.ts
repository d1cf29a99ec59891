import { mergeRanges, overlaps, splitRange, subtractRanges } from '../../src/cache/ranges';

describe('day ranges', () => {
  it('merges overlapping and adjacent ranges but not ranges with a gap', () => {
    expect(
      mergeRanges([
        { from: 10, to: 20 },
        { from: 1, to: 5 },
        { from: 21, to: 25 },
        { from: 15, to: 18 },
        { from: 27, to: 30 },
      ]),
    ).toEqual([
      { from: 1, to: 5 },
      { from: 10, to: 25 },
      { from: 27, to: 30 },
    ]);
  });

  it('leaves only the uncovered parts of a range', () => {
    expect(
      subtractRanges({ from: 1, to: 30 }, [
        { from: 5, to: 9 },
        { from: 20, to: 40 },
      ]),
    ).toEqual([
      { from: 1, to: 4 },
      { from: 10, to: 19 },
    ]);
    expect(subtractRanges({ from: 5, to: 9 }, [{ from: 1, to: 30 }])).toEqual([]);
    expect(subtractRanges({ from: 5, to: 9 }, [])).toEqual([{ from: 5, to: 9 }]);
  });

  it('cuts a range into the fewest pieces within a span limit', () => {
    expect(splitRange({ from: 0, to: 9 }, 4)).toEqual([
      { from: 0, to: 3 },
      { from: 4, to: 7 },
      { from: 8, to: 9 },
    ]);
    expect(splitRange({ from: 3, to: 3 }, 366)).toEqual([{ from: 3, to: 3 }]);
  });

  it('tells whether two ranges share a day', () => {
    expect(overlaps({ from: 1, to: 5 }, { from: 5, to: 9 })).toBe(true);
    expect(overlaps({ from: 1, to: 4 }, { from: 5, to: 9 })).toBe(false);
  });
});
