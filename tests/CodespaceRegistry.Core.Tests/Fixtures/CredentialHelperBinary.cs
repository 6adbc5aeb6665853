using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;


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

        public static string DirectoryPath => System.IO.Path.GetDirectoryName(Path)!;

        private static string Metadata(string key) =>
            typeof(CredentialHelperBinary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

        private static string Locate()
        {
            var name = "docker-credential-codespaces" + (OperatingSystem.IsWindows() ? ".exe" : "");
            var root = Metadata("RepoRoot");
            var staged = System.IO.Path.Combine(root, "out", "CodespaceRegistry", name);
            if (File.Exists(staged)) return staged;

            var output = Directory.CreateTempSubdirectory("docker-credential-codespaces-").FullName;
            var publish = ExternalProgram.Run("dotnet", new[] { "publish", System.IO.Path.Combine(root, "src", "docker-credential-codespaces"), "-c", Metadata("Configuration"), "-o", output, "--nologo" });
            if (publish.ExitCode != 0) throw new InvalidOperationException("Publishing docker-credential-codespaces failed:\n" + publish.Output);
            return System.IO.Path.Combine(output, name);
        }

        /// <summary>Runs one helper command as docker does: the server (or credentials) on stdin, the answer on stdout.</summary>
        public static (int ExitCode, string Output) Run(string command, string input, IReadOnlyDictionary<string, string> environment)
        {
            var (exit, output, error) = ExternalProgram.Run(Path, new[] { command }, environment, input);
            return (exit, output + error);
        }
    }
}
