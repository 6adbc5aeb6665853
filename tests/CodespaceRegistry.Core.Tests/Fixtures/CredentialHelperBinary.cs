using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// The NativeAOT docker-credential-codespaces the module ships: the staged one in out/CodespaceRegistry
    /// (.ci/run publishes before it tests), else published once for this test run into a temp folder.
    /// </summary>
    public static class CredentialHelperBinary
    {
        private static readonly Lazy<string> Binary = new Lazy<string>(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

        public static string Path => Binary.Value;

        private static string Metadata(string key) =>
            typeof(CredentialHelperBinary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

        private static string Locate()
        {
            var name = "docker-credential-codespaces" + (OperatingSystem.IsWindows() ? ".exe" : "");
            var root = Metadata("RepoRoot");
            var staged = System.IO.Path.Combine(root, "out", "CodespaceRegistry", name);
            if (File.Exists(staged)) return staged;

            var output = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "docker-credential-codespaces-" + Guid.NewGuid().ToString("N"));
            var publish = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { "publish", System.IO.Path.Combine(root, "src", "docker-credential-codespaces"), "-c", Metadata("Configuration"), "-o", output, "--nologo" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(publish)!;
            var log = process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException("Publishing docker-credential-codespaces failed:\n" + log.Result);
            return System.IO.Path.Combine(output, name);
        }

        /// <summary>Runs one helper command with <paramref name="input"/> on stdin and only <paramref name="environment"/> (plus PATH) as its environment.</summary>
        public static async Task<(int ExitCode, string Output)> RunAsync(string command, string input, IReadOnlyDictionary<string, string> environment)
        {
            var start = new ProcessStartInfo(Path)
            {
                ArgumentList = { command },
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment.Clear();
            start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
            foreach (var pair in environment) start.Environment[pair.Key] = pair.Value;
            using var process = Process.Start(start)!;
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output + await error);
        }
    }
}
