using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.DockerConfig
{
    /// <summary>
    /// Runs a docker credential helper, <c>docker-credential-&lt;name&gt;</c>, by the docker-credential-helpers
    /// protocol: the action is the one argument, the input goes to stdin (a JSON credential for <c>store</c>, the
    /// server URL for <c>get</c> and <c>erase</c>), the answer comes on stdout, and a failure is a non-zero exit
    /// with its message on stdout. Every run is bounded by a timeout; cancelling kills the helper.
    /// </summary>
    public sealed class CredentialHelperClient
    {
        public const string ProgramPrefix = "docker-credential-";

        /// <summary>What helpers print when they hold nothing for a server (docker-credential-helpers' ErrCredentialsNotFound).</summary>
        public const string NotFoundMessage = "credentials not found in native keychain";

        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

        private const int MaxMessageLength = 600;

        private readonly Func<string, string?> _findProgram;
        private readonly IReadOnlyDictionary<string, string>? _environment;

        /// <param name="findProgram">Finds a program by name; defaults to a search of PATH (and PATHEXT on Windows).</param>
        /// <param name="environment">Variables set for the helper on top of this process's (for tests: GNUPGHOME, PASSWORD_STORE_DIR).</param>
        /// <param name="timeout">How long one helper run may take; <see cref="DefaultTimeout"/> when null.</param>
        public CredentialHelperClient(Func<string, string?>? findProgram = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
        {
            _environment = environment;
            _findProgram = findProgram ?? (name => FindOnPath(name, Variable("PATH"), Variable("PATHEXT")));
            Timeout = timeout ?? DefaultTimeout;
        }

        public TimeSpan Timeout { get; }

        /// <summary>The full path of <c>docker-credential-&lt;helper&gt;</c>, or null when it is not installed.</summary>
        public string? FindHelper(string helper) => _findProgram(ProgramPrefix + helper);

        /// <summary>Searches the directories of a PATH value for a program, as exec.LookPath does.</summary>
        public static string? FindOnPath(string program, string? path, string? pathExt)
        {
            var windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            var names = windows
                ? (pathExt ?? ".COM;.EXE;.BAT;.CMD").Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries).Select(ext => program + ext.ToLowerInvariant())
                : new[] { program };
            foreach (var directory in (path ?? "").Split(new[] { System.IO.Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var name in names)
                {
                    var candidate = System.IO.Path.Combine(directory, name);
                    if (File.Exists(candidate)) return candidate;
                }
            }
            return null;
        }

        /// <summary>Hands a credential to the helper (<c>store</c>).</summary>
        public async Task StoreAsync(string helper, string serverUrl, RegistryCredential credential, CancellationToken cancellationToken)
        {
            if (credential == null) throw new ArgumentNullException(nameof(credential));
            var secret = SecureStrings.Reveal(credential.Password);
            var input = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["ServerURL"] = serverUrl,
                ["Username"] = credential.UserName,
                ["Secret"] = secret,
            });
            var run = await RunAsync(helper, "store", input, secret, cancellationToken).ConfigureAwait(false);
            if (run.ExitCode != 0) throw Failed(helper, "store", serverUrl, run);
        }

        /// <summary>The helper's credential for a server (<c>get</c>), or null when it holds none.</summary>
        public async Task<RegistryCredential?> GetAsync(string helper, string serverUrl, CancellationToken cancellationToken)
        {
            var run = await RunAsync(helper, "get", serverUrl, null, cancellationToken).ConfigureAwait(false);
            if (run.ExitCode != 0)
            {
                if (IsNotFound(run)) return null;
                throw Failed(helper, "get", serverUrl, run);
            }

            string user, secret;
            try
            {
                using (var answer = JsonDocument.Parse(run.Output))
                {
                    user = Field(answer.RootElement, "Username");
                    secret = Field(answer.RootElement, "Secret");
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
            {
                // The answer may hold the secret: neither it nor the parser's message (which quotes it) is repeated.
                throw new RegistryException("CredentialHelperFailed", ErrorKind.InvalidData,
                    $"{ProgramPrefix}{helper} get answered for {serverUrl} with something that is not the credential JSON the protocol defines. " +
                    "Update the helper, or remove it from credsStore/credHelpers in the docker config.");
            }
            // Some helpers (docker-credential-pass as Debian ships it) answer an unknown server with empty fields and exit 0.
            if (user.Length == 0 && secret.Length == 0) return null;
            if (user.Length == 0)
            {
                throw new RegistryException("CredentialHelperFailed", ErrorKind.InvalidData,
                    $"{ProgramPrefix}{helper} get answered for {serverUrl} with a secret but no user name. Log in to {serverUrl} again to store a complete credential.");
            }
            return new RegistryCredential(user, SecureStrings.ToSecureString(secret));
        }

        /// <summary>Removes the helper's credential for a server (<c>erase</c>); false when it held none.</summary>
        public async Task<bool> EraseAsync(string helper, string serverUrl, CancellationToken cancellationToken)
        {
            var run = await RunAsync(helper, "erase", serverUrl, null, cancellationToken).ConfigureAwait(false);
            if (run.ExitCode == 0) return true;
            // Helpers word "nothing to erase" differently; whether it is held decides between "none" and a failure.
            if (IsNotFound(run) || await GetAsync(helper, serverUrl, cancellationToken).ConfigureAwait(false) == null) return false;
            throw Failed(helper, "erase", serverUrl, run);
        }

        /// <summary>The servers the helper holds credentials for, with their user names (<c>list</c>).</summary>
        public async Task<IReadOnlyDictionary<string, string>> ListAsync(string helper, CancellationToken cancellationToken)
        {
            var run = await RunAsync(helper, "list", "", null, cancellationToken).ConfigureAwait(false);
            if (run.ExitCode != 0) throw Failed(helper, "list", null, run);
            try
            {
                return JsonSerializer.Deserialize<Dictionary<string, string>>(run.Output.Trim().Length == 0 ? "{}" : run.Output)
                    ?? new Dictionary<string, string>();
            }
            catch (JsonException ex)
            {
                throw new RegistryException("CredentialHelperFailed", ErrorKind.InvalidData,
                    $"{ProgramPrefix}{helper} list did not answer with a JSON object of servers and users. Update the helper.", ex);
            }
        }

        private static string Field(JsonElement answer, string name) =>
            answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

        private static bool IsNotFound(HelperRun run) =>
            (run.Output + run.Error).IndexOf(NotFoundMessage, StringComparison.OrdinalIgnoreCase) >= 0;

        private static RegistryException Failed(string helper, string action, string? serverUrl, HelperRun run)
        {
            var said = (run.Output.Trim() + " " + run.Error.Trim()).Trim();
            if (said.Length > MaxMessageLength) said = said.Substring(0, MaxMessageLength) + "…";
            var server = serverUrl == null ? "" : $" for {serverUrl}";
            return new RegistryException("CredentialHelperFailed", ErrorKind.Other,
                $"{ProgramPrefix}{helper} {action}{server} failed with exit code {run.ExitCode}: {(said.Length == 0 ? "(no message)" : said)}. " +
                "Fix the helper's own setup (run it by hand to see), or remove it from credsStore/credHelpers in the docker config.");
        }

        private string? Variable(string name) =>
            _environment != null && _environment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);

        private async Task<HelperRun> RunAsync(string helper, string action, string input, string? secret, CancellationToken cancellationToken)
        {
            var program = FindHelper(helper) ?? throw new RegistryException("CredentialHelperNotFound", ErrorKind.ObjectNotFound,
                $"The docker config names the credential helper '{helper}', but {ProgramPrefix}{helper} is not on PATH. " +
                "Install it, or remove it from credsStore/credHelpers in the docker config.");

            var start = new ProcessStartInfo(program, action)
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            if (_environment != null)
            {
                foreach (var pair in _environment) start.Environment[pair.Key] = pair.Value;
            }

            using (var process = new Process { StartInfo = start, EnableRaisingEvents = true })
            using (var timeout = new CancellationTokenSource(Timeout))
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                process.Exited += (sender, args) => exited.TrySetResult(true);
                try
                {
                    process.Start();
                }
                catch (Win32Exception ex)
                {
                    throw new RegistryException("CredentialHelperFailed", ErrorKind.Other,
                        $"{program} could not be started: {ex.Message} Check that it is executable.", ex);
                }

                using (stop.Token.Register(() => Kill(process)))
                {
                    var output = ReadCappedAsync(process.StandardOutput);
                    var error = ReadCappedAsync(process.StandardError);
                    await WriteInputAsync(process, input).ConfigureAwait(false);
                    // Killing ends the run, so waiting here is bounded; a grandchild holding the pipes open is not waited for.
                    await exited.Task.ConfigureAwait(false);
                    var streams = Task.WhenAll(output, error);
                    await Task.WhenAny(streams, Task.Delay(System.Threading.Timeout.Infinite, stop.Token)).ConfigureAwait(false);

                    cancellationToken.ThrowIfCancellationRequested();
                    if (stop.IsCancellationRequested)
                    {
                        throw new RegistryException("CredentialHelperTimedOut", ErrorKind.Timeout,
                            $"{ProgramPrefix}{helper} {action} did not finish within {Timeout.TotalSeconds:0.#} s and was stopped. " +
                            "A helper that waits for a passphrase or an unlock prompt cannot answer here: unlock it first, or remove it " +
                            "from credsStore/credHelpers in the docker config.");
                    }
                    return new HelperRun(process.ExitCode, Redaction.RedactSecret(await output.ConfigureAwait(false), secret), Redaction.RedactSecret(await error.ConfigureAwait(false), secret));
                }
            }
        }

        /// <summary>The most of a helper's stdout or stderr that is kept: far more than any credential answer.</summary>
        internal const int MaxOutputChars = 1024 * 1024;

        // Reads to the end, so that a helper is never blocked writing, but keeps only the first MaxOutputChars.
        private static async Task<string> ReadCappedAsync(StreamReader reader)
        {
            var kept = new StringBuilder();
            var buffer = new char[8192];
            int read;
            while ((read = await reader.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
            {
                var room = MaxOutputChars - kept.Length;
                if (room > 0) kept.Append(buffer, 0, Math.Min(room, read));
            }
            return kept.ToString();
        }

        // All of stdin, then close it: helpers read to end of input.
        private static async Task WriteInputAsync(Process process, string input)
        {
            try
            {
                var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(input);
                var stdin = process.StandardInput.BaseStream;
                await stdin.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
                await stdin.FlushAsync().ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The helper exited without reading its input; its exit code and output say why.
            }
        }

        private static void Kill(Process process)
        {
            try
            {
                process.Kill();
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is Win32Exception)
            {
                // It has already exited.
            }
        }

        private sealed class HelperRun
        {
            public HelperRun(int exitCode, string output, string error)
            {
                ExitCode = exitCode;
                Output = output;
                Error = error;
            }

            public int ExitCode { get; }

            public string Output { get; }

            public string Error { get; }
        }
    }
}
