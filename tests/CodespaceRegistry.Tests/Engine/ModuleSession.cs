using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using Xunit;

// The engine tests change process-wide state (environment variables that hold secret sets); they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace CodespaceRegistry.EngineTests
{
    /// <summary>
    /// A PowerShell 7.6.9 runspace, hosted in this process, with the staged module (out/CodespaceRegistry) imported
    /// exactly as a user imports it. One per test class (<c>IClassFixture</c>).
    /// </summary>
    public sealed class ModuleSession : IDisposable
    {
        /// <summary>Variables the module reads from the environment: cleared for every test, set only by the test that needs them.</summary>
        private static readonly string[] ModuleVariables =
        {
            "GH_TOKEN", "GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL", "REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR", "CODESPACE_REGISTRY_CERTS_D",
        };

        private readonly Runspace _runspace;

        public ModuleSession()
        {
            var manifest = Path.Combine(ModulePath, "CodespaceRegistry.psd1");
            if (!File.Exists(manifest))
            {
                throw new InvalidOperationException($"The staged module is missing ({manifest}): run `dotnet publish src/CodespaceRegistry -c Release` (or ./build.ps1) before the engine tests.");
            }
            TempDirectory = Directory.CreateTempSubdirectory("engine-").FullName;
            var state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(ModulePath);
            state.ThrowOnRunspaceOpenError = true;
            _runspace = RunspaceFactory.CreateRunspace(state);
            _runspace.Open();
            Run(HelperFunctions).ThrowIfFailed();
        }

        public static string RepoRoot =>
            typeof(ModuleSession).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

        public static string ModulePath => Path.Combine(RepoRoot, "out", "CodespaceRegistry");

        /// <summary>A folder of this session's own, removed with it; DOCKER_CONFIG points into it during each run.</summary>
        public string TempDirectory { get; }

        /// <summary>
        /// Runs <paramref name="script"/> in the runspace with no registry secret set, GitHub token or docker config of
        /// the machine in the environment, plus <paramref name="environment"/>; restores the environment afterwards.
        /// </summary>
        public PSRun Run(string script, Dictionary<string, string?>? environment = null, Dictionary<string, object?>? variables = null)
        {
            var saved = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .Where(e => IsModuleVariable((string)e.Key)).ToDictionary(e => (string)e.Key, e => (string?)e.Value);
            foreach (var name in saved.Keys) Environment.SetEnvironmentVariable(name, null);
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", Path.Combine(TempDirectory, "docker"));
            foreach (var pair in environment ?? new Dictionary<string, string?>()) Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            try
            {
                using var shell = PowerShell.Create();
                shell.Runspace = _runspace;
                foreach (var pair in variables ?? new Dictionary<string, object?>()) _runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
                shell.AddScript(script);
                Collection<PSObject> output = new();
                Exception? terminating = null;
                try
                {
                    output = shell.Invoke();
                }
                catch (RuntimeException e)
                {
                    terminating = e;
                }
                return new PSRun(output, shell.Streams, terminating);
            }
            finally
            {
                foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(IsModuleVariable).ToList()) Environment.SetEnvironmentVariable(name, null);
                foreach (var pair in saved) Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            }
        }

        private static bool IsModuleVariable(string name) =>
            name.Contains("_CONTAINER_REGISTRY_", StringComparison.OrdinalIgnoreCase) || name == "DOCKER_CONFIG" || ModuleVariables.Contains(name);

        public void Dispose()
        {
            _runspace.Dispose();
            try
            {
                Directory.Delete(TempDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        /// <summary>Functions the tests call in the runspace.</summary>
        private const string HelperFunctions = @"
# The parameters of -Command that the engine bound from pipeline input while -Expression ran, as its
# ParameterBinding trace reports them: 'Name:ByValue' or 'Name:ByPropertyName', and the values bound.
function Get-PipelineBinding {
    param([scriptblock] $Expression, [string] $Command)
    $trace = [IO.Path]::GetTempFileName()
    try {
        $output = Trace-Command -Name ParameterBinding -FilePath $trace -Expression $Expression -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 2>&1
        $current = $null; $mode = $null
        $bound = foreach ($line in Get-Content $trace) {
            if ($line -match 'BIND PIPELINE object to parameters: \[(?<cmd>[^\]]+)\]') { $current = $Matches.cmd }
            elseif ($line -match 'BIND (NAMED|POSITIONAL) cmd line args \[(?<cmd>[^\]]+)\]') { $current = $null }
            elseif ($line -match 'PIPELINE INPUT (?<mode>ValueFromPipeline(ByPropertyName)?) ') { $mode = if ($Matches.mode -eq 'ValueFromPipeline') { 'ByValue' } else { 'ByPropertyName' } }
            elseif ($current -eq $Command -and $line -match 'BIND arg \[(?<arg>.*)\] to param \[(?<param>\w+)\] SUCCESSFUL') {
                [pscustomobject]@{ Bound = ""$($Matches.param):$mode""; Value = ""$($Matches.param)=$($Matches.arg)"" }
            }
        }
        # Bound: 'Name:ByValue'; Values: 'Name=the value bound', as the trace prints it.
        [pscustomobject]@{ Bound = @($bound.Bound | Select-Object -Unique); Values = @($bound.Value | Select-Object -Unique); Output = $output }
    }
    finally { Remove-Item $trace -ErrorAction SilentlyContinue }
}

# A TCP port on 127.0.0.1 that nothing listens on.
function Get-ClosedPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop(); $port
}
";
    }

    /// <summary>What one script run gave: its output and every stream.</summary>
    public sealed class PSRun
    {
        public PSRun(Collection<PSObject> output, PSDataStreams streams, Exception? terminating)
        {
            Output = output;
            Errors = streams.Error.ToList();
            Warnings = streams.Warning.Select(w => w.Message).ToList();
            Verbose = streams.Verbose.Select(v => v.Message).ToList();
            Debug = streams.Debug.Select(d => d.Message).ToList();
            Information = streams.Information.Select(i => i.MessageData?.ToString() ?? "").ToList();
            Progress = streams.Progress.Select(p => $"{p.Activity}\n{p.StatusDescription}\n{p.CurrentOperation}").ToList();
            Terminating = terminating;
        }

        public Collection<PSObject> Output { get; }

        public IReadOnlyList<ErrorRecord> Errors { get; }

        public IReadOnlyList<string> Warnings { get; }

        public IReadOnlyList<string> Verbose { get; }

        public IReadOnlyList<string> Debug { get; }

        public IReadOnlyList<string> Information { get; }

        /// <summary>Each progress record's activity, status and current operation, one line each.</summary>
        public IReadOnlyList<string> Progress { get; }

        /// <summary>The terminating error, if the script stopped with one.</summary>
        public Exception? Terminating { get; }

        /// <summary>The error record of the terminating error, or the first non-terminating one.</summary>
        public ErrorRecord? FirstError => (Terminating as IContainsErrorRecord)?.ErrorRecord ?? Errors.FirstOrDefault();

        public PSRun ThrowIfFailed()
        {
            if (Terminating != null) throw new InvalidOperationException("The script stopped: " + Terminating.Message, Terminating);
            if (Errors.Count > 0) throw new InvalidOperationException("The script wrote errors: " + string.Join("; ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
            return this;
        }

        /// <summary>The single output object's value (unwrapped from its PSObject).</summary>
        public object? Single() => Assert.Single(ThrowIfFailed().Output).BaseObject;

        public IEnumerable<string> Strings() => ThrowIfFailed().Output.Select(o => o?.ToString() ?? "");
    }
}

namespace CodespaceRegistry.EngineTests
{
    internal static class NoTelemetry
    {
        /// <summary>
        /// Before PowerShell first runs in this process: its telemetry would resolve and contact a host on the internet,
        /// and the tests reach nothing beyond 127.0.0.1.
        /// </summary>
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void OptOut()
        {
            Environment.SetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT", "1");
            Environment.SetEnvironmentVariable("POWERSHELL_UPDATECHECK", "Off");
        }
    }
}
