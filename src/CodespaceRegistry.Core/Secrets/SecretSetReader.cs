using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CodespaceRegistry.Ecr;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Secrets
{
    /// <summary>
    /// Finds the registry secret sets in a codespace's environment, groups them, and says what is wrong with
    /// each, with the fix. Messages name secrets, never their values.
    /// </summary>
    public static class SecretSetReader
    {
        /// <summary>An ECR token with less than this left is reported as about to expire.</summary>
        public static readonly TimeSpan TokenExpiryWarning = TimeSpan.FromHours(1);

        private const string ServerSuffix = "_CONTAINER_REGISTRY_SERVER";

        private static readonly Regex AccessKeyId = new Regex(@"^(AKIA|ASIA)[A-Z0-9]{16}$", RegexOptions.CultureInvariant);
        private static readonly Regex SecretAccessKey = new Regex(@"^[A-Za-z0-9/+=]{40}$", RegexOptions.CultureInvariant);
        private static readonly Regex TokenShape = new Regex(@"^(ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|dckr_pat_|eyJ)|^[A-Za-z0-9/+=]{40}$|^[A-Za-z0-9/+=_-]{100,}$", RegexOptions.CultureInvariant);

        /// <summary>
        /// True for a value shaped like a password or token (GitHub/GitLab/Docker tokens, JWTs, AWS secret keys, long
        /// base64), whole or as a part between '/', ':' or '@': such a value in SERVER or USER means the secrets were swapped, and it must not be shown.
        /// </summary>
        internal static bool LooksLikeSecret(string value)
        {
            var trimmed = value.Trim();
            return TokenShape.IsMatch(trimmed) || trimmed.Split('/', ':', '@').Any(part => TokenShape.IsMatch(part));
        }

        /// <summary>The sets in the process environment.</summary>
        public static IReadOnlyList<RegistrySecretSet> FromProcessEnvironment(TimeProvider clock) =>
            FromEnvironment(ProcessVariables(), clock.GetUtcNow());

        /// <summary>
        /// The sets in the process environment whose raw SERVER value <paramref name="namesServer"/> accepts (see the
        /// <see cref="FromEnvironment(IEnumerable{KeyValuePair{string, string}}, DateTimeOffset, Func{string, bool})"/> overload).
        /// </summary>
        public static IReadOnlyList<RegistrySecretSet> FromProcessEnvironment(TimeProvider clock, Func<string, bool> namesServer) =>
            FromEnvironment(ProcessVariables(), clock.GetUtcNow(), namesServer);

        private static List<KeyValuePair<string, string?>> ProcessVariables()
        {
            var variables = new List<KeyValuePair<string, string?>>();
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            {
                variables.Add(new KeyValuePair<string, string?>((string)e.Key, e.Value as string));
            }
            return variables;
        }

        /// <summary>
        /// The sets whose raw SERVER value <paramref name="namesServer"/> accepts, sorted by name, each parsed and
        /// validated as <see cref="FromEnvironment(IEnumerable{KeyValuePair{string, string}}, DateTimeOffset)"/> does; the
        /// other sets are only grouped, never parsed or validated, so asking for one server costs that server's sets.
        /// Findings that compare sets with one another (DuplicateServer, NonEcrIdentifier) need every set and are left out.
        /// </summary>
        public static IReadOnlyList<RegistrySecretSet> FromEnvironment(IEnumerable<KeyValuePair<string, string?>> variables, DateTimeOffset now, Func<string, bool> namesServer)
        {
            if (namesServer == null) throw new ArgumentNullException(nameof(namesServer));
            // First the identifiers whose SERVER is accepted, by plain string tests: matching every variable name
            // against the set-name patterns costs more than the rest of a credential helper's 'get'.
            var all = variables.ToList();
            var ids = all
                .Where(p => p.Key.Length > ServerSuffix.Length && p.Key.EndsWith(ServerSuffix, StringComparison.OrdinalIgnoreCase) && namesServer(p.Value ?? ""))
                .Select(p => p.Key.Substring(0, p.Key.Length - ServerSuffix.Length))
                .ToList();
            // A set's secrets, and its misnamed ones, all start with "<ID>_".
            var theirs = all.Where(p => ids.Any(id => p.Key.StartsWith(id + "_", StringComparison.OrdinalIgnoreCase)));
            return Groups(theirs)
                .Where(g => g.Values.TryGetValue(SecretPart.Server, out var server) && namesServer(server))
                .Select(g => Build(g, now))
                .ToList();
        }

        /// <summary>Groups <c>&lt;ID&gt;_CONTAINER_REGISTRY_*</c> variables into sets, sorted by name, each with its findings.</summary>
        public static IReadOnlyList<RegistrySecretSet> FromEnvironment(IEnumerable<KeyValuePair<string, string?>> variables, DateTimeOffset now)
        {
            var sets = Groups(variables).Select(g => Build(g, now)).ToList();
            AddCrossSetFindings(sets);
            return sets;
        }

        /// <summary>The variables grouped by set identifier, in name order, with the findings about misnamed secrets.</summary>
        private static IEnumerable<Group> Groups(IEnumerable<KeyValuePair<string, string?>> variables)
        {
            var groups = new Dictionary<string, Group>(StringComparer.OrdinalIgnoreCase);
            Group GroupFor(string id)
            {
                if (!groups.TryGetValue(id, out var g)) groups[id] = g = new Group(id);
                return g;
            }

            foreach (var pair in variables.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (SecretNames.TryParse(pair.Key, out var id, out var part))
                {
                    var g = GroupFor(id);
                    g.Names.Add(pair.Key);
                    g.Values[part] = pair.Value ?? "";
                }
                else if (SecretNames.SuggestFor(pair.Key, out var nearId) is string suggestion)
                {
                    var g = GroupFor(nearId);
                    g.Names.Add(pair.Key);
                    g.Findings.Add(SecretSetFindings.Misnamed(pair.Key, suggestion));
                }
            }

            return groups.Values.OrderBy(g => g.Id, StringComparer.OrdinalIgnoreCase);
        }

        private sealed class Group
        {
            public Group(string id) { Id = id; }
            public string Id { get; }
            public List<string> Names { get; } = new List<string>();
            public Dictionary<SecretPart, string> Values { get; } = new Dictionary<SecretPart, string>();
            public List<SecretSetFinding> Findings { get; } = new List<SecretSetFinding>();
        }

        private static RegistrySecretSet Build(Group g, DateTimeOffset now)
        {
            var set = new RegistrySecretSet(g.Id, SecretLevel.Environment) { SecretNames = g.Names.ToArray() };
            var findings = g.Findings;
            CheckIdentifier(g.Id, findings);

            foreach (SecretPart part in Enum.GetValues(typeof(SecretPart)))
            {
                var name = SecretNames.NameOf(g.Id, part);
                if (!g.Values.TryGetValue(part, out var value))
                {
                    findings.Add(SecretSetFindings.Incomplete(g.Id, name));
                    continue;
                }
                CheckValue(name, part, value, findings);
            }

            g.Values.TryGetValue(SecretPart.Password, out var password);
            if (g.Values.TryGetValue(SecretPart.Server, out var server) && server.Trim().Length > 0)
            {
                set.HasServer = true;
                if (LooksLikeSecret(server) || Redaction.Contains(server, password))
                {
                    findings.Add(SwappedSecret(g.Id, SecretPart.Server));
                }
                else
                {
                    set.ServerValue = Redaction.WithoutUserInfo(server.Trim());
                    CheckServer(g.Id, server, set, findings);
                }
            }
            if (g.Values.TryGetValue(SecretPart.User, out var user) && user.Trim().Length > 0)
            {
                set.HasUser = true;
                if (LooksLikeSecret(user) || Redaction.Contains(user, password)) findings.Add(SwappedSecret(g.Id, SecretPart.User));
                else set.User = user.Trim();
            }
            if (password != null && password.Length > 0)
            {
                set.HasPassword = true;
                // Longer than any SecureString: the ValueTooLarge finding says so, and there is nothing to log in with.
                if (password.Length <= SecureStrings.MaxLength) set.Password = SecureStrings.ToSecureString(password);
            }

            CheckCredentials(g.Id, set, password, now, findings);
            set.Findings = findings.ToArray();
            return set;
        }

        private static SecretSetFinding SwappedSecret(string id, SecretPart part)
        {
            var name = SecretNames.NameOf(id, part);
            return new SecretSetFinding("SecretInWrongSecret", FindingSeverity.Error,
                $"{name} holds what looks like a password or token, so the values were probably copied into the wrong secrets; it is not shown.",
                $"Put the registry host in {SecretNames.NameOf(id, SecretPart.Server)}, the user name in {SecretNames.NameOf(id, SecretPart.User)} and the password or token in {SecretNames.NameOf(id, SecretPart.Password)}.", name);
        }

        private static void CheckIdentifier(string id, List<SecretSetFinding> findings)
        {
            if (SecretSetFindings.InvalidIdentifier(id) is SecretSetFinding invalid) findings.Add(invalid);
        }

        private static void CheckValue(string name, SecretPart part, string value, List<SecretSetFinding> findings)
        {
            if (value.Trim().Length == 0)
            {
                findings.Add(new SecretSetFinding("EmptyValue", FindingSeverity.Error,
                    $"{name} is empty.", $"Set {name} to the registry's {Describe(part)}.", name));
                return;
            }
            if (Encoding.UTF8.GetByteCount(value) > SecretNames.MaxValueBytes)
            {
                findings.Add(new SecretSetFinding("ValueTooLarge", FindingSeverity.Error,
                    $"{name} is larger than the 48 KB GitHub allows for a secret.", $"Store a shorter {Describe(part)}.", name));
            }
            if (value != value.Trim() || value.IndexOfAny(new[] { '\r', '\n' }) >= 0)
            {
                var where = value.IndexOfAny(new[] { '\r', '\n' }) >= 0 ? "a line break" : "leading or trailing white space";
                findings.Add(new SecretSetFinding("WhitespaceInValue", part == SecretPart.Server ? FindingSeverity.Warning : FindingSeverity.Error,
                    $"{name} contains {where}, which a registry login does not strip.",
                    $"Paste the value of {name} again without the surrounding spaces or line break.", name));
            }
            var t = value.Trim();
            if (t.Length >= 2 && (t[0] == '"' || t[0] == '\'') && t[t.Length - 1] == t[0])
            {
                findings.Add(new SecretSetFinding("QuotedValue", FindingSeverity.Warning,
                    $"{name} is wrapped in quotes, which become part of the value.",
                    $"Save {name} without the surrounding quotes.", name));
            }
        }

        private static string Describe(SecretPart part) => part switch
        {
            SecretPart.Server => "server address",
            SecretPart.User => "user name",
            _ => "password or token",
        };

        private static void CheckServer(string id, string raw, RegistrySecretSet set, List<SecretSetFinding> findings)
        {
            var name = SecretNames.NameOf(id, SecretPart.Server);
            if (!RegistryServer.TryParse(raw, out var server, out var error))
            {
                findings.Add(new SecretSetFinding("InvalidServer", FindingSeverity.Error,
                    $"{name} is not a registry server: {error}",
                    $"Set {name} to the registry host, such as ghcr.io, myregistry.azurecr.io or 123456789012.dkr.ecr.us-east-1.amazonaws.com.", name));
                return;
            }
            set.Server = server;
            var value = raw.Trim();
            if (server!.Kind == RegistryKind.DockerHub)
            {
                if (value != RegistryServer.DockerHubConfigKey)
                {
                    findings.Add(new SecretSetFinding("DockerHubAlias", FindingSeverity.Warning,
                        $"{name} names Docker Hub as '{value}'; docker stores and looks up Docker Hub credentials under {RegistryServer.DockerHubConfigKey}.",
                        $"Set {name} to {RegistryServer.DockerHubConfigKey}.", name));
                }
                return;
            }
            if (server.Scheme == "http" && !server.IsLoopback)
            {
                findings.Add(new SecretSetFinding("ServerUsesHttp", FindingSeverity.Warning,
                    $"{name} uses plain http, so the password would cross the network unencrypted and docker refuses it unless the registry is marked insecure.",
                    $"Serve the registry over https and set {name} to {server.Host}.", name));
            }
            else if (server.Scheme != null)
            {
                findings.Add(new SecretSetFinding("ServerHasScheme", FindingSeverity.Warning,
                    $"{name} is written with '{server.Scheme}://'; credentials are stored under that exact key, which podman and skopeo do not match to images on {server.Host}.",
                    $"Set {name} to {server.Host}.", name));
            }
            if (server.Path != null)
            {
                findings.Add(new SecretSetFinding("ServerHasPath", FindingSeverity.Warning,
                    $"{name} carries the path '{server.Path}'; a registry login is per host, so the path is at best ignored.",
                    $"Set {name} to {server.Host} and name the repository in the image reference instead.", name));
            }
        }

        private static void CheckCredentials(string id, RegistrySecretSet set, string? password, DateTimeOffset now, List<SecretSetFinding> findings)
        {
            var userName = SecretNames.NameOf(id, SecretPart.User);
            var passwordName = SecretNames.NameOf(id, SecretPart.Password);
            var kind = set.Server?.Kind ?? RegistryKind.Other;
            var user = set.User ?? "";
            var secret = password?.Trim() ?? "";
            var isAwsUser = user == Ecr.EcrCredentialSwap.EcrUserName;
            var isAccessKey = AccessKeyId.IsMatch(user);

            if (kind == RegistryKind.AmazonEcr || kind == RegistryKind.AmazonEcrPublic)
            {
                if (isAwsUser)
                {
                    set.EcrMode = EcrMode.Token;
                    if (secret.Length > 0) CheckEcrToken(set, secret, passwordName, now, findings);
                }
                else if (isAccessKey)
                {
                    set.EcrMode = EcrMode.AccessKey;
                    if (user.StartsWith("ASIA", StringComparison.Ordinal))
                    {
                        findings.Add(new SecretSetFinding("TemporaryAccessKey", FindingSeverity.Error,
                            $"{userName} is a temporary access key id (ASIA…), which works only with a session token that a secret set cannot carry.",
                            $"Create an IAM user access key (AKIA…) with ecr:GetAuthorizationToken and the pull actions, and store it in {userName} and {passwordName}.", userName));
                    }
                    if (secret.Length > 0 && !SecretAccessKey.IsMatch(secret))
                    {
                        findings.Add(new SecretSetFinding("EcrSecretKeyMalformed", FindingSeverity.Warning,
                            $"{passwordName} does not look like an AWS secret access key (40 characters of letters, digits, '/', '+' and '=').",
                            $"Copy the secret access key that belongs to the access key id in {userName} into {passwordName}.", passwordName));
                    }
                }
                else if (set.HasUser)
                {
                    findings.Add(new SecretSetFinding("EcrUserInvalid", FindingSeverity.Error,
                        $"{userName} is neither an AWS access key id (AKIA…) nor AWS, the two forms an ECR set accepts.",
                        $"Set {userName} to an access key id and {passwordName} to its secret key, or {userName} to AWS and {passwordName} to a token from 'aws ecr get-login-password'.", userName));
                }
                if (set.EcrMode == EcrMode.AccessKey && kind == RegistryKind.AmazonEcrPublic)
                {
                    findings.Add(new SecretSetFinding("EcrPublicPermissions", FindingSeverity.Information,
                        "ECR Public tokens come from us-east-1 and need both ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken.",
                        "Grant the key's IAM user ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken."));
                }
            }
            else if (set.Server != null && (isAwsUser || isAccessKey))
            {
                findings.Add(new SecretSetFinding("AwsCredentialsForNonEcrServer", FindingSeverity.Warning,
                    $"{userName} holds AWS credentials but the server {set.Server.Host} is not an ECR registry, so no ECR token swap will happen.",
                    $"Set {SecretNames.NameOf(id, SecretPart.Server)} to the ECR registry, <account>.dkr.ecr.<region>.amazonaws.com.", userName));
            }

            if (kind == RegistryKind.DockerHub && user.IndexOf('@') >= 0)
            {
                findings.Add(new SecretSetFinding("DockerHubEmailUser", FindingSeverity.Warning,
                    $"{userName} looks like an e-mail address; Docker Hub logs in with the Docker ID (user name).",
                    $"Set {userName} to your Docker ID.", userName));
            }
            if ((kind == RegistryKind.GitHubContainerRegistry || kind == RegistryKind.GitHubPackages) && secret.StartsWith("github_pat_", StringComparison.Ordinal))
            {
                findings.Add(new SecretSetFinding("FineGrainedTokenForGitHubPackages", FindingSeverity.Error,
                    $"{passwordName} is a fine-grained personal access token; GitHub Packages registries accept only a personal access token (classic).",
                    $"Create a personal access token (classic) with read:packages (and write:packages to publish) and store it in {passwordName}.", passwordName));
            }
        }

        private static void CheckEcrToken(RegistrySecretSet set, string token, string passwordName, DateTimeOffset now, List<SecretSetFinding> findings)
        {
            if (!EcrAuthorizationToken.TryReadExpiry(token, out var expiresAt))
            {
                findings.Add(new SecretSetFinding("EcrTokenUnreadable", FindingSeverity.Warning,
                    $"{passwordName} is not an ECR authorization token, so its expiry cannot be read.",
                    $"Store the output of 'aws ecr get-login-password --region {set.Server?.Region}' in {passwordName}, or use an access key id and secret key instead.", passwordName));
                return;
            }
            set.TokenExpiresAt = expiresAt;
            if (expiresAt <= now)
            {
                findings.Add(new SecretSetFinding("EcrTokenExpired", FindingSeverity.Error,
                    $"The ECR token in {passwordName} expired at {expiresAt:u}; tokens live 12 hours.",
                    "Store an access key id and secret key instead so that a fresh token is fetched at every login, or fetch a new token with 'aws ecr get-login-password'.", passwordName));
            }
            else if (expiresAt - now < TokenExpiryWarning)
            {
                findings.Add(new SecretSetFinding("EcrTokenExpiresSoon", FindingSeverity.Warning,
                    $"The ECR token in {passwordName} expires at {expiresAt:u}, in less than an hour.",
                    "Store an access key id and secret key instead so that a fresh token is fetched at every login.", passwordName));
            }
        }

        private static void AddCrossSetFindings(List<RegistrySecretSet> sets)
        {
            foreach (var same in sets.Where(s => s.Server != null).GroupBy(s => s.Server!.ConfigKey).Where(g => g.Count() > 1))
            {
                var names = string.Join(", ", same.Select(s => s.Name));
                foreach (var set in same)
                {
                    Append(set, new SecretSetFinding("DuplicateServer", FindingSeverity.Warning,
                        $"The sets {names} all name {set.Server!.Host}; only one login per server survives, and which one is a matter of order.",
                        "Keep one set per registry server and remove the others."));
                }
            }

            var ecrSets = sets.Where(s => s.Server?.Kind == RegistryKind.AmazonEcr || s.Server?.Kind == RegistryKind.AmazonEcrPublic).ToList();
            if (ecrSets.Count == 1 && !string.Equals(ecrSets[0].Name, "ECR", StringComparison.OrdinalIgnoreCase))
            {
                Append(ecrSets[0], new SecretSetFinding("NonEcrIdentifier", FindingSeverity.Information,
                    $"The ECR set is named {ecrSets[0].Name}; any identifier works, and ECR_CONTAINER_REGISTRY_* is the one the Codespaces docs recommend for a single ECR registry.",
                    "Nothing to do; rename the set to ECR if you like."));
            }
            foreach (var set in sets.Where(s => string.Equals(s.Name, "ECR", StringComparison.OrdinalIgnoreCase) && s.Server != null &&
                                                s.Server.Kind != RegistryKind.AmazonEcr && s.Server.Kind != RegistryKind.AmazonEcrPublic))
            {
                Append(set, new SecretSetFinding("EcrIdentifierNotEcrServer", FindingSeverity.Warning,
                    $"The set is named ECR but its server {set.Server!.Host} is not an ECR registry, so no ECR token swap will happen.",
                    "Set ECR_CONTAINER_REGISTRY_SERVER to <account>.dkr.ecr.<region>.amazonaws.com, or rename the set."));
            }
        }

        private static void Append(RegistrySecretSet set, SecretSetFinding finding) =>
            set.Findings = set.Findings.Concat(new[] { finding }).ToArray();
    }
}
