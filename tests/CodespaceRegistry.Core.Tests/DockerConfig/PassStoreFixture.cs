using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CodespaceRegistry.DockerConfig;

using CodespaceRegistry.Tests.Fixtures;

namespace CodespaceRegistry.Tests.DockerConfig
{
    /// <summary>
    /// A real credential helper: docker-credential-pass over `pass`, initialised with a throwaway gpg key (no
    /// passphrase) in a temp GNUPGHOME and a temp PASSWORD_STORE_DIR. Dispose stops the gpg-agent gpg started for it.
    /// </summary>
    public sealed class PassStoreFixture : IDisposable
    {
        private readonly TempDirectory _directory = new TempDirectory();

        public PassStoreFixture()
        {
            // gpg-agent's socket path must stay short, so the GNUPGHOME is a direct child of the temp directory.
            Directory.CreateDirectory(_directory.Combine("g"));
            Directory.CreateDirectory(_directory.Combine("p"));
            Environment = new Dictionary<string, string>
            {
                ["GNUPGHOME"] = _directory.Combine("g"),
                ["PASSWORD_STORE_DIR"] = _directory.Combine("p"),
            };
            Check(ExternalProgram.Run("gpg", new[] { "--batch", "--passphrase", "", "--quick-gen-key", "CodespaceRegistry test <test@example.invalid>", "default", "default", "never" }, Environment));
            var keys = Check(ExternalProgram.Run("gpg", new[] { "--batch", "--list-keys", "--with-colons" }, Environment));
            var fingerprint = keys.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
            Check(ExternalProgram.Run("pass", new[] { "init", fingerprint }, Environment));
        }

        /// <summary>The variables the helper (and pass, gpg) need; give them to <see cref="CredentialHelperClient"/>.</summary>
        public IReadOnlyDictionary<string, string> Environment { get; }

        public CredentialHelperClient Client() => new CredentialHelperClient(environment: Environment);

        private static string Check((int ExitCode, string Output, string Error) run)
        {
            if (run.ExitCode != 0) throw new InvalidOperationException($"Setting up pass failed ({run.ExitCode}): {run.Error}");
            return run.Output;
        }

        public void Dispose()
        {
            ExternalProgram.Run("gpgconf", new[] { "--kill", "gpg-agent" }, Environment);
            _directory.Dispose();
        }
    }
}
