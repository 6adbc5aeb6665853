using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// Plumbing every cmdlet shares: a cancellation token that Ctrl+C (<see cref="StopProcessing"/>) cancels,
    /// running Core's async work on the pipeline thread, and turning Core's exceptions into error records.
    /// </summary>
    public abstract class CmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        protected CancellationToken StopToken => _stopping.Token;

        /// <summary>
        /// What every command of this PowerShell session shares with the ones before and after it: connections, pings
        /// and tokens (in memory only, each for the credential it was issued to). Created on first use.
        /// </summary>
        private static readonly Lazy<RegistrySession> Session = new Lazy<RegistrySession>(() => new RegistrySession());

        /// <summary>
        /// The warm-up's registries and sets while it rehearses a first check (<see cref="ModuleInitializer"/>), seen only
        /// by the commands of its own runspace, on its own thread; null for every command a user runs.
        /// </summary>
        internal static readonly AsyncLocal<ColdStart.Rehearsal?> Rehearsing = new AsyncLocal<ColdStart.Rehearsal?>();

        private static int _userCommandStarted;

        protected CmdletBase()
        {
            if (Rehearsing.Value == null) Volatile.Write(ref _userCommandStarted, 1);
        }

        /// <summary>Whether a user's command of this module has started in this process (the rehearsal adds no work after that).</summary>
        internal static bool UserCommandStarted => Volatile.Read(ref _userCommandStarted) != 0;

        /// <summary>
        /// Said by a command about to run up to <paramref name="checks"/> checks at once: as many as the processor has
        /// cores or more keep it busy, so the warm-up's rehearsal, if it still runs, stops; it would only take cores from
        /// them (a single check, by contrast, leaves a core to the rehearsal, which compiles ahead of it there).
        /// </summary>
        protected static void Running(int checks)
        {
            if (checks >= Environment.ProcessorCount && Rehearsing.Value == null) ModuleInitializer.StopRehearsal();
        }

        /// <summary>A registry client for this command: the session's, or, to start afresh, one of its own.</summary>
        protected static RegistryClient CreateRegistryClient(RegistryClientOptions options, bool noCache)
        {
            if (Rehearsing.Value is { } rehearsal) return rehearsal.CreateClient(options);
            return noCache ? new RegistryClient(options) : new RegistryClient(Session.Value, options);
        }

        /// <summary>The secret sets of this process's environment, as a codespace sees them (while rehearsing, the rehearsal's own).</summary>
        protected static IReadOnlyList<RegistrySecretSet> EnvironmentSecretSets() =>
            Rehearsing.Value?.SecretSets ?? SecretSetReader.FromProcessEnvironment(Clock);

        /// <summary>The clock Core reads; one place, so every cmdlet agrees on "now".</summary>
        protected static TimeProvider Clock => TimeProvider.System;

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>Runs Core's async work to completion on the pipeline thread, honouring Ctrl+C.</summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> work) =>
            Task.Run(() => work(StopToken), StopToken).GetAwaiter().GetResult();

        protected void Run(Func<CancellationToken, Task> work) =>
            Task.Run(() => work(StopToken), StopToken).GetAwaiter().GetResult();

        /// <summary>One input failed: write the error and go on.</summary>
        protected void WriteError(Exception exception, object? target) =>
            WriteError(ErrorRecords.From(exception, target));

        /// <summary>The command cannot go on at all.</summary>
        protected void ThrowTerminating(Exception exception, object? target) =>
            ThrowTerminatingError(ErrorRecords.From(exception, target));

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (disposing) _stopping.Dispose();
        }
    }
}
