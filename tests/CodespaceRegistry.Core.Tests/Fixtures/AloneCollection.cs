using Xunit;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// Tests that measure the whole process (GC.GetTotalAllocatedBytes) run after the parallel ones, alone, so that
    /// other tests' allocations do not count against them.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class AloneCollection
    {
        public const string Name = "alone";
    }
}
