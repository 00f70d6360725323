using LanScatter.Core.Nodes;

namespace LanScatter.Tests.Nodes;

public class SwarmMatrixTests
{
    [Fact]
    public void A_cell_per_chunk_says_held_missing_or_in_flight()
    {
        var held = new HashSet<int> { 0, 2, 3 };
        Assert.Equal("90f9", SwarmMatrix.Row(4, 1, held.Contains, new HashSet<int> { 2 }));
    }

    [Fact]
    public void Grouped_cells_grade_how_much_of_the_group_is_held_and_the_last_group_may_be_short()
    {
        int per = SwarmMatrix.Grouping(10, 3); // 4 chunks a cell: 4 + 4 + 2
        Assert.Equal(4, per);
        var held = new HashSet<int> { 0, 1, 2, 3, 4, 8 };
        var row = SwarmMatrix.Row(10, per, held.Contains, Array.Empty<int>());
        Assert.Equal(3, row.Length);
        Assert.Equal('9', row[0]);
        Assert.Equal('2', row[1]); // 1 of 4
        Assert.Equal('4', row[2]); // 1 of 2
        Assert.Equal("000", SwarmMatrix.Row(10, per, _ => false, Array.Empty<int>()));
        Assert.Equal("", SwarmMatrix.Row(0, 1, _ => true, Array.Empty<int>()));
    }
}
