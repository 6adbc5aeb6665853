using System;
using System.Collections.Concurrent;
using System.Threading;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// A clock whose timers fire at once: a wait moves "now" forward by its length and is recorded, so a test
    /// proves how long code would wait without waiting.
    /// </summary>
    public sealed class RecordingClock : TimeProvider
    {
        private readonly object _gate = new object();
        private DateTimeOffset _now;

        public RecordingClock(DateTimeOffset now) { _now = now; }

        /// <summary>Every wait asked for, in order.</summary>
        public ConcurrentQueue<TimeSpan> Waits { get; } = new ConcurrentQueue<TimeSpan>();

        public override DateTimeOffset GetUtcNow()
        {
            lock (_gate) return _now;
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Waits.Enqueue(dueTime);
            lock (_gate) _now += dueTime;
            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new FiredTimer();
        }

        private sealed class FiredTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;
            public void Dispose() { }
            public System.Threading.Tasks.ValueTask DisposeAsync() => default;
        }
    }
}
