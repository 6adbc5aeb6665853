using System;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry;
using CodespaceRegistry.Access;
using CodespaceRegistry.Aws;
using CodespaceRegistry.Ecr;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.CredentialHelper
{
    /// <summary>
    /// docker-credential-codespaces: the docker credential-helper protocol (get, list, store, erase) over the
    /// registry secret sets in this environment. ECR sets in access-key mode are swapped for a token on demand,
    /// from the token cache while it is fresh, so a codespace keeps pulling after the 12 hours a token lives.
    /// </summary>
    public static class Program
    {
        /// <summary>What docker-credential-helpers' client recognises as "no credentials for this server".</summary>
        public const string NotFound = "credentials not found in native keychain";

        /// <summary>The most stdin that is read: a server URL, as docker sends it (docker-credential-helpers' line limit is 64 KiB too).</summary>
        public const int MaxInputChars = 64 * 1024;

        private const string Usage = "Usage: docker-credential-codespaces <store|get|erase|list|version>";

        // Plain JSON for a program, not a web page: '+' and '/' in tokens stay as they are.
        private static readonly JsonWriterOptions JsonOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static async Task<int> Main(string[] args)
        {
            var stdout = Console.OpenStandardOutput();
            // As docker-credential-helpers answers: usage or the error on stdout, exit code 1.
            if (args.Length != 1) return Fail(stdout, Usage);
            try
            {
                switch (args[0])
                {
                    case "get":
                        return ReadInput() is string server
                            ? await GetAsync(server.Trim(), stdout, CancellationToken.None).ConfigureAwait(false)
                            : Fail(stdout, $"The input is longer than {MaxInputChars} characters; docker sends one server URL.");
                    case "list":
                        List(stdout);
                        return 0;
                    case "store":
                    case "erase":
                        return Fail(stdout, "docker-credential-codespaces serves the codespace's registry secrets and cannot " + args[0] +
                                            " credentials; change the <ID>_CONTAINER_REGISTRY_* secrets instead.");
                    case "version":
                        Console.Out.WriteLine("docker-credential-codespaces " + typeof(Program).Assembly.GetName().Version);
                        return 0;
                    default:
                        return Fail(stdout, $"Unknown credential action `{Redaction.Echo(args[0])}`");
                }
            }
            catch (RegistryException e)
            {
                return Fail(stdout, e.Message);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Whatever else went wrong (a cache or an answer with a date out of range, ...) is this call's failure, not a crash.
                return Fail(stdout, $"docker-credential-codespaces {args[0]} failed: {e.GetType().Name}: {Redaction.Echo(e.Message)}");
            }
        }

        /// <summary>All of stdin when it is at most <see cref="MaxInputChars"/> characters, else null.</summary>
        private static string? ReadInput()
        {
            var buffer = new char[MaxInputChars + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = Console.In.Read(buffer, length, buffer.Length - length)) > 0) length += read;
            return length > MaxInputChars ? null : new string(buffer, 0, length);
        }

        private static async Task<int> GetAsync(string serverUrl, Stream stdout, CancellationToken cancellationToken)
        {
            if (!RegistryServer.TryParse(serverUrl, out var server, out _)) return Fail(stdout, NotFound);
            // Only the sets whose SERVER names this server are parsed and validated; the rest of the environment is skipped.
            var naming = SecretSetReader.FromProcessEnvironment(TimeProvider.System, value => Names(value, server!));
            var set = SecretSetMatch.For(naming, server!).Winner;
            if (set == null) return Fail(stdout, NotFound);
            if (set.User == null) return Fail(stdout, set.Findings.First(f => f.Id == "SecretInWrongSecret").Message);

            RegistryCredential credential;
            if (set.EcrMode != EcrMode.None)
            {
                var swap = new EcrCredentialSwap(() => new AwsEcrApi(), EcrTokenCache.Default(), TimeProvider.System, ProcessEnvironment.Snapshot());
                credential = (await swap.GetCredentialAsync(set, cancellationToken).ConfigureAwait(false)).Credential;
            }
            else
            {
                credential = new RegistryCredential(set.User!, set.GetPassword()!);
            }

            using var json = new Utf8JsonWriter(stdout, JsonOptions);
            json.WriteStartObject();
            json.WriteString("ServerURL", serverUrl);
            json.WriteString("Username", credential.UserName);
            json.WriteString("Secret", SecureStrings.Reveal(credential.Password));
            json.WriteEndObject();
            json.Flush();
            return 0;
        }

        /// <summary>True when a raw SERVER value names <paramref name="server"/> as docker matches config.json keys (Docker Hub's aliases are one registry).</summary>
        private static bool Names(string value, RegistryServer server) =>
            RegistryServer.TryParse(value, out var named, out _) && named!.Equals(server);

        private static void List(Stream stdout)
        {
            using var json = new Utf8JsonWriter(stdout, JsonOptions);
            json.WriteStartObject();
            foreach (var set in SecretSetReader.FromProcessEnvironment(TimeProvider.System).Where(s => s.IsComplete && s.Server != null && s.User != null))
            {
                json.WriteString(set.Server!.ConfigKey, set.EcrMode == EcrMode.None ? set.User : EcrCredentialSwap.EcrUserName);
            }
            json.WriteEndObject();
            json.Flush();
        }

        /// <summary>Helpers report errors as plain text on stdout with a non-zero exit code.</summary>
        private static int Fail(Stream stdout, string message)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(message + "\n");
            stdout.Write(bytes, 0, bytes.Length);
            stdout.Flush();
            return 1;
        }
    }
}
