using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;

namespace CodespaceRegistry.Benchmarks
{
    /// <summary>
    /// A `dotnet pwsh` process with the staged module imported, as a user's session: it runs one line at a time from
    /// standard input and reports how long each took, measured inside PowerShell.
    /// </summary>
    public sealed class PwshSession : IAsyncDisposable
    {
        private const string Loop = @"
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$watch = [Diagnostics.Stopwatch]::StartNew()
Import-Module $env:BENCH_MODULE
[Console]::Out.WriteLine('IMPORTED ' + $watch.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture))
while ($null -ne ($line = [Console]::In.ReadLine())) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    try { Invoke-Expression $line | Out-Null; $outcome = 'OK' } catch { $outcome = 'ERROR ' + ($_.ToString() -replace '\s+', ' ') }
    [Console]::Out.WriteLine('DONE ' + $watch.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture) + ' ' + $outcome)
}";

        private readonly Process _process;

        private PwshSession(Process process) => _process = process;

        public double ImportMilliseconds { get; private set; }

        public static async Task<PwshSession> StartAsync(string repoRoot, IReadOnlyDictionary<string, string> environment, string module)
        {
            var info = new ProcessStartInfo("dotnet") { WorkingDirectory = repoRoot, RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[] { "pwsh", "-NoProfile", "-NoLogo", "-NonInteractive", "-EncodedCommand", Convert.ToBase64String(Encoding.Unicode.GetBytes(Loop)) }) info.ArgumentList.Add(argument);
            foreach (var pair in environment) info.Environment[pair.Key] = pair.Value;
            info.Environment["BENCH_MODULE"] = module;
            var session = new PwshSession(Process.Start(info)!);
            session.ImportMilliseconds = await session.ReadAsync("IMPORTED ");
            return session;
        }

        /// <summary>Runs one line of PowerShell; its time as PowerShell measured it.</summary>
        public async Task<double> TimeAsync(string line)
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
            return await ReadAsync("DONE ");
        }

        private async Task<double> ReadAsync(string prefix)
        {
            while (true)
            {
                var line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("pwsh exited");
                if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
                var parts = line.Substring(prefix.Length).Split(' ', 2);
                if (parts.Length > 1 && parts[1] != "OK") throw new InvalidOperationException("pwsh: " + parts[1]);
                return double.Parse(parts[0], CultureInfo.InvariantCulture);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
