using System;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>A clock a test sets and moves; Core and the fakes read it instead of the system clock.</summary>
    public sealed class ManualClock : TimeProvider
    {
        public ManualClock(DateTimeOffset now) { Now = now; }

        public static ManualClock AtSystemTime() => new ManualClock(TimeProvider.System.GetUtcNow());

        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;

        public void Advance(TimeSpan by) => Now += by;
    }
}
