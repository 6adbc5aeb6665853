using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands.Completion
{
    /// <summary>
    /// Completes -Name with the registry secret sets of the environment and, when the command line names a level
    /// (-Repository, -Organization, -User) and a token is at hand (-Token $variable, GH_TOKEN, GITHUB_TOKEN), the sets
    /// stored there. GitHub is asked at most once a minute per level and for at most <see cref="GitHubTimeout"/>, so Tab
    /// never hangs; a level that does not answer in time adds nothing.
    /// </summary>
    public sealed class SecretSetNameCompleter : IArgumentCompleter
    {
        internal static readonly TimeSpan GitHubTimeout = TimeSpan.FromSeconds(2);
        private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);
        private static readonly ConcurrentDictionary<string, (DateTimeOffset At, string[] Names)> Cache = new ConcurrentDictionary<string, (DateTimeOffset, string[])>();

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var candidates = SecretSetReader.FromProcessEnvironment(TimeProvider.System)
                .Select(s => (s.Name, $"{s.Name}: {s.ServerValue} (environment)")).ToList();
            var location = LocationOf(fakeBoundParameters);
            if (location != null)
            {
                var token = fakeBoundParameters?["Token"];
                if (token is PSObject wrapped) token = wrapped.BaseObject;
                candidates.AddRange(StoredNames(location, token as SecureString).Select(n => (n, $"{n} ({location})")));
            }
            return Completions.Of(candidates, wordToComplete);
        }

        private static SecretLocation? LocationOf(IDictionary fakeBoundParameters)
        {
            try
            {
                if (Completions.BoundText(fakeBoundParameters, "Repository") is string repository) return SecretLocation.Repository(repository);
                if (Completions.BoundText(fakeBoundParameters, "Organization") is string organization) return SecretLocation.Organization(organization);
                if (fakeBoundParameters?.Contains("User") == true) return SecretLocation.User;
            }
            catch (RegistryException)
            {
                // A name still being typed: no level yet.
            }
            return null;
        }

        private static IEnumerable<string> StoredNames(SecretLocation location, SecureString? token)
        {
            var apiUrl = Environment.GetEnvironmentVariable("GITHUB_API_URL") ?? "";
            var key = apiUrl + "|" + location;
            if (Cache.TryGetValue(key, out var cached) && DateTimeOffset.UtcNow - cached.At < CacheLifetime) return cached.Names;
            string[] names;
            try
            {
                using var client = GitHubClient.Create(token, Environment.GetEnvironmentVariable);
                using var timeout = new CancellationTokenSource(GitHubTimeout);
                var listing = Task.Run(() => new CodespacesSecretsApi(client).ListAsync(location, timeout.Token), timeout.Token);
                if (!listing.Wait(GitHubTimeout)) return Array.Empty<string>();
                names = listing.Result.Select(s => SecretNames.TryParse(s.Name, out var id, out _) ? id : null)
                    .Where(n => n != null).Select(n => n!).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            }
            catch (Exception)
            {
                // No token, a refusal, a timeout: completion offers what it has, and never writes an error at the prompt.
                return Array.Empty<string>();
            }
            Cache[key] = (DateTimeOffset.UtcNow, names);
            return names;
        }
    }
}
