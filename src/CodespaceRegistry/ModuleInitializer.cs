using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using CodespaceRegistry.Access;
using CodespaceRegistry.Commands;

namespace CodespaceRegistry
{
    /// <summary>
    /// On Import-Module: starts the warm-up (<see cref="ColdStart"/>) in the background, whose rehearsal of a first check
    /// is <see cref="Rehearse"/>.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        /// <summary>The check a rehearsal runs, as a user types it; then, where Out-String is at hand, its output formatted as the console shows it.</summary>
        private const string Check = "param([string[]] $Names, [string[]] $Images) $reports = Get-RegistrySecretSet -Name $Names | Test-RegistryAccess -Image $Images; $reports";
        private const string Shown = "; $reports | Out-String";

        private static readonly object Gate = new object();
        private static bool _active;
        private static bool _stopped;
        private static PowerShell? _running;

        public void OnImport() => _ = ColdStart.Begin(rehearsal => Rehearse(rehearsal));

        /// <summary>Stops the rehearsal running now, if one is: the pipeline it runs, and every one it would start after.</summary>
        internal static void StopRehearsal()
        {
            lock (Gate)
            {
                _stopped = _active;
                _running?.BeginStop(null, null);
            }
        }

        /// <summary>
        /// A first check as a user runs it, against the warm-up's loopback registries: what PowerShell compiles and caches
        /// the first time (a pipeline of these cmdlets bound, their output formatted with the module's views) is the same
        /// for every runspace of the process, so the user's first command finds it done. It runs in a runspace of its own
        /// (no provider, no other command, no profile; its own variables), on the calling thread; its commands see only
        /// the rehearsal's sets and registries (<see cref="CmdletBase.Rehearsing"/>) and read no credential file.
        /// First the plain-HTTP registries (Basic auth and a token), then, unless a user's command has started by then
        /// (it would only compete with it for the processor), the TLS one. Returns the reports and their formatted text.
        /// </summary>
        internal static Collection<PSObject> Rehearse(ColdStart.Rehearsal rehearsal)
        {
            var state = InitialSessionState.Create();
            state.LanguageMode = PSLanguageMode.FullLanguage;
            state.ThreadOptions = PSThreadOptions.UseCurrentThread;
            state.Commands.Add(new SessionStateCmdletEntry("Get-RegistrySecretSet", typeof(GetRegistrySecretSetCommand), null));
            state.Commands.Add(new SessionStateCmdletEntry("Test-RegistryAccess", typeof(TestRegistryAccessCommand), null));
            var outString = Type.GetType("Microsoft.PowerShell.Commands.OutStringCommand, Microsoft.PowerShell.Commands.Utility", throwOnError: false);
            var formats = Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? "", "CodespaceRegistry.format.ps1xml");
            var shown = outString != null && File.Exists(formats);
            if (shown)
            {
                state.Commands.Add(new SessionStateCmdletEntry("Out-String", outString, null));
                state.Formats.Add(new SessionStateFormatEntry(formats));
            }
            var previous = Runspace.DefaultRunspace;
            CmdletBase.Rehearsing.Value = rehearsal;
            lock (Gate) (_active, _stopped) = (true, false);
            try
            {
                using var runspace = RunspaceFactory.CreateRunspace(state);
                runspace.Name = "CodespaceRegistry warm-up"; // what Get-Runspace shows while it lives
                runspace.Open();
                var output = Invoke(runspace, shown ? Check + Shown : Check, rehearsal.Names.Take(2), rehearsal.Images.Take(2));
                if (CmdletBase.UserCommandStarted || !rehearsal.ServeTls()) return output;
                foreach (var result in Invoke(runspace, Check, rehearsal.Names.Skip(2), rehearsal.Images.Skip(2))) output.Add(result);
                return output;
            }
            finally
            {
                lock (Gate) _active = false;
                CmdletBase.Rehearsing.Value = null;
                Runspace.DefaultRunspace = previous; // the thread goes back as it came
            }
        }

        private static Collection<PSObject> Invoke(Runspace runspace, string script, IEnumerable<string> names, IEnumerable<string> images)
        {
            using var shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddScript(script).AddArgument(names.ToArray()).AddArgument(images.ToArray());
            lock (Gate)
            {
                if (_stopped) throw new PipelineStoppedException();
                _running = shell;
            }
            try
            {
                var output = shell.Invoke();
                return shell.InvocationStateInfo.State == PSInvocationState.Stopped ? throw new PipelineStoppedException() : output;
            }
            finally
            {
                lock (Gate) _running = null;
            }
        }
    }
}
