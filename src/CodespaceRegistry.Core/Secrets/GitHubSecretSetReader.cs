using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.GitHub;

namespace CodespaceRegistry.Secrets
{
    /// <summary>
    /// Reads the registry secret sets stored at user, repository and organization level through GitHub's API
    /// (names and policies only: the API never returns values), groups them, and for a repository decides which
    /// sets reach it and which one a codespace sees: repository over organization; a user set sharing a name with
    /// either is reported as undetermined, since GitHub documents no order between them.
    /// </summary>
    public static class GitHubSecretSetReader
    {
        /// <summary>The levels whose secrets can reach a codespace of <paramref name="repository"/>.</summary>
        public static IReadOnlyList<SecretLocation> LocationsFor(GitHubRepository repository)
        {
            var locations = new List<SecretLocation> { SecretLocation.User, SecretLocation.Repository(repository.FullName) };
            if (repository.IsOrganizationOwned && repository.Owner != null) locations.Add(SecretLocation.Organization(repository.Owner.Login));
            return locations;
        }

        /// <summary>
        /// The sets at <paramref name="locations"/>, sorted by name and level; with <paramref name="repository"/>,
        /// each set says whether it applies and is effective. A failing level (bad token, missing scope) throws.
        /// </summary>
        public static async Task<IReadOnlyList<RegistrySecretSet>> ReadAsync(CodespacesSecretsApi api, IEnumerable<SecretLocation> locations,
            GitHubRepository? repository, CancellationToken cancellationToken)
        {
            var listings = new List<Listing>();
            foreach (var location in locations)
            {
                var secrets = await api.ListAsync(location, cancellationToken).ConfigureAwait(false);
                var selected = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
                foreach (var secret in secrets.Where(s => location.HasPolicy && s.Visibility == "selected" && IsRegistrySecret(s.Name)))
                {
                    var repositories = await api.ListSelectedRepositoriesAsync(location, secret.Name, cancellationToken).ConfigureAwait(false);
                    selected[secret.Name] = repositories.Select(r => r.FullName).ToList();
                }
                listings.Add(new Listing(location, secrets, selected));
            }
            return Build(listings, repository);
        }

        private static bool IsRegistrySecret(string name) => SecretNames.TryParse(name, out _, out _);

        /// <summary>One level's secrets and, for those with visibility selected, their repositories.</summary>
        internal sealed class Listing
        {
            public Listing(SecretLocation location, IReadOnlyList<CodespacesSecret> secrets, IReadOnlyDictionary<string, IReadOnlyList<string>> selected)
            {
                Location = location;
                Secrets = secrets;
                Selected = selected;
            }

            public SecretLocation Location { get; }
            public IReadOnlyList<CodespacesSecret> Secrets { get; }
            public IReadOnlyDictionary<string, IReadOnlyList<string>> Selected { get; }
        }

        private sealed class Group
        {
            public Group(string id, SecretLocation location)
            {
                Id = id;
                Location = location;
            }

            public string Id { get; }
            public SecretLocation Location { get; }
            public Dictionary<SecretPart, CodespacesSecret> Parts { get; } = new Dictionary<SecretPart, CodespacesSecret>();
            public List<string> Names { get; } = new List<string>();
            public List<SecretSetFinding> Findings { get; } = new List<SecretSetFinding>();
            public RegistrySecretSet Set { get; set; } = null!;
        }

        internal static IReadOnlyList<RegistrySecretSet> Build(IReadOnlyList<Listing> listings, GitHubRepository? repository)
        {
            var groups = new List<Group>();
            foreach (var listing in listings)
            {
                var byId = new Dictionary<string, Group>(StringComparer.OrdinalIgnoreCase);
                Group GroupFor(string id)
                {
                    if (!byId.TryGetValue(id, out var g)) byId[id] = g = new Group(id, listing.Location);
                    return g;
                }
                foreach (var secret in listing.Secrets.OrderBy(s => s.Name, StringComparer.Ordinal))
                {
                    if (SecretNames.TryParse(secret.Name, out var id, out var part))
                    {
                        var g = GroupFor(id);
                        g.Names.Add(secret.Name);
                        g.Parts[part] = secret;
                    }
                    else if (SecretNames.SuggestFor(secret.Name, out var nearId) is string suggestion)
                    {
                        var g = GroupFor(nearId);
                        g.Names.Add(secret.Name);
                        g.Findings.Add(SecretSetReader.Misnamed(secret.Name, suggestion));
                    }
                }
                foreach (var g in byId.Values)
                {
                    g.Set = new RegistrySecretSet(g.Id, listing.Location.Level)
                    {
                        SecretNames = g.Names.ToArray(),
                        HasServer = g.Parts.ContainsKey(SecretPart.Server),
                        HasUser = g.Parts.ContainsKey(SecretPart.User),
                        HasPassword = g.Parts.ContainsKey(SecretPart.Password),
                    };
                    SecretSetReader.CheckIdentifier(g.Id, g.Findings);
                    if (listing.Location.HasPolicy) ReadPolicy(g, listing.Selected);
                    if (repository != null) g.Set.AppliesToRepository = Applies(g, listing.Selected, repository);
                    groups.Add(g);
                }
            }

            foreach (var g in groups) CheckParts(g, groups);
            if (repository != null)
            {
                foreach (var g in groups) CheckReach(g, repository);
                foreach (var sameName in groups.GroupBy(g => g.Id, StringComparer.OrdinalIgnoreCase)) DecideEffective(sameName.ToList(), repository);
            }
            foreach (var g in groups) g.Set.Findings = g.Findings.ToArray();
            return groups.OrderBy(g => g.Id, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Location.Level).Select(g => g.Set).ToList();
        }

        private static IReadOnlyList<string> SelectedFor(CodespacesSecret secret, IReadOnlyDictionary<string, IReadOnlyList<string>> selected) =>
            secret.Visibility == "selected" && selected.TryGetValue(secret.Name, out var repositories) ? repositories : Array.Empty<string>();

        /// <summary>The set's policy when its secrets agree on one; a SetPoliciesDiffer finding when they do not.</summary>
        private static void ReadPolicy(Group g, IReadOnlyDictionary<string, IReadOnlyList<string>> selected)
        {
            var secrets = g.Parts.Values.ToList();
            if (secrets.Count == 0) return;
            var policies = secrets.Select(s => (Visibility: s.Visibility ?? "", Repositories: new HashSet<string>(SelectedFor(s, selected), StringComparer.OrdinalIgnoreCase))).ToList();
            var common = policies.Skip(1).Aggregate(new HashSet<string>(policies[0].Repositories, StringComparer.OrdinalIgnoreCase), (all, p) => { all.IntersectWith(p.Repositories); return all; });
            g.Set.SelectedRepositories = common.OrderBy(r => r, StringComparer.OrdinalIgnoreCase).ToArray();
            var same = policies.All(p => p.Visibility == policies[0].Visibility && p.Repositories.SetEquals(policies[0].Repositories));
            if (same && Enum.TryParse<SecretVisibility>(policies[0].Visibility, ignoreCase: true, out var visibility))
            {
                g.Set.Visibility = visibility;
                return;
            }
            if (same) return;
            var described = string.Join("; ", secrets.Select(s => $"{s.Name}: {Describe(s, selected)}"));
            g.Findings.Add(new SecretSetFinding("SetPoliciesDiffer", FindingSeverity.Error,
                $"The secrets of {g.Id} in {g.Location} reach different repositories ({described}), so a codespace may get some of them and not the others.",
                $"Give all three secrets of {g.Id} the same repository access."));
        }

        private static string Describe(CodespacesSecret secret, IReadOnlyDictionary<string, IReadOnlyList<string>> selected) =>
            secret.Visibility == "selected" ? "selected " + (SelectedFor(secret, selected).Count == 0 ? "(none)" : string.Join(", ", SelectedFor(secret, selected))) : secret.Visibility ?? "unknown";

        private static bool Applies(Group g, IReadOnlyDictionary<string, IReadOnlyList<string>> selected, GitHubRepository repository)
        {
            if (g.Location.Level == SecretLevel.Repository) return string.Equals(g.Location.Owner, repository.FullName, StringComparison.OrdinalIgnoreCase);
            return g.Parts.Count > 0 && g.Parts.Values.All(s => s.Visibility switch
            {
                "all" => true,
                "private" => !repository.IsPublic,
                "selected" => SelectedFor(s, selected).Contains(repository.FullName, StringComparer.OrdinalIgnoreCase),
                _ => false,
            });
        }

        /// <summary>Missing secrets: found at another level (the set is split), or nowhere (incomplete).</summary>
        private static void CheckParts(Group g, List<Group> all)
        {
            foreach (SecretPart part in Enum.GetValues(typeof(SecretPart)))
            {
                if (g.Parts.ContainsKey(part)) continue;
                var name = SecretNames.NameOf(g.Id, part);
                var elsewhere = all.Where(o => o != g && string.Equals(o.Id, g.Id, StringComparison.OrdinalIgnoreCase) && o.Parts.ContainsKey(part)).Select(o => o.Location.ToString()).ToList();
                if (elsewhere.Count == 0)
                {
                    g.Findings.Add(SecretSetReader.Incomplete(g.Id, name));
                    continue;
                }
                g.Findings.Add(new SecretSetFinding("SetSplitAcrossLevels", FindingSeverity.Warning,
                    $"The set {g.Id} in {g.Location} has no {name}; it is in {string.Join(" and ", elsewhere)}. The set works only where both levels reach, and a change at one level silently breaks it.",
                    $"Keep all three secrets of {g.Id} at one level: add {name} to {g.Location}, or move the others next to it.", name));
            }
        }

        /// <summary>Why a user or organization set does not reach the repository, with the fix.</summary>
        private static void CheckReach(Group g, GitHubRepository repository)
        {
            if (g.Set.AppliesToRepository != false) return;
            var where = g.Location.Level == SecretLevel.User
                ? "https://github.com/settings/codespaces"
                : $"https://github.com/organizations/{g.Location.Owner}/settings/codespaces";
            if (g.Parts.Values.Any(s => s.Visibility == "private") && repository.IsPublic)
            {
                g.Findings.Add(new SecretSetFinding("PrivatePolicyForPublicRepository", FindingSeverity.Error,
                    $"The set {g.Id} in {g.Location} reaches private repositories only, and {repository.FullName} is public, so its codespaces do not get it.",
                    $"Set the access of all three secrets to selected repositories including {repository.FullName} (or all repositories) at {where}, or add the set to the repository."));
                return;
            }
            g.Findings.Add(new SecretSetFinding("SetNotAssignedToRepository", FindingSeverity.Warning,
                $"The set {g.Id} in {g.Location} does not reach {repository.FullName}: not all of its secrets are available to that repository.",
                $"Add {repository.FullName} to the repositories of all three secrets at {where}."));
        }

        /// <summary>Among the sets of one name that reach the repository, which one a codespace sees.</summary>
        private static void DecideEffective(List<Group> sameName, GitHubRepository repository)
        {
            var reaching = sameName.Where(g => g.Set.AppliesToRepository == true).ToList();
            foreach (var g in sameName) g.Set.IsEffective = false;
            if (reaching.Count == 0) return;
            var repositorySet = reaching.FirstOrDefault(g => g.Location.Level == SecretLevel.Repository);
            var userSet = reaching.FirstOrDefault(g => g.Location.Level == SecretLevel.User);
            var organizationSet = reaching.FirstOrDefault(g => g.Location.Level == SecretLevel.Organization);

            if (repositorySet != null && organizationSet != null)
            {
                organizationSet.Findings.Add(new SecretSetFinding("OverriddenByRepositorySet", FindingSeverity.Information,
                    $"The repository {repository.FullName} has its own set {repositorySet.Id}, which wins over this organization set.",
                    "Nothing to do if that is intended; otherwise remove the repository's set."));
                organizationSet = null;
            }
            var other = repositorySet ?? organizationSet;
            if (userSet != null && other != null)
            {
                foreach (var g in new[] { userSet, other })
                {
                    g.Set.IsEffective = null;
                    g.Findings.Add(new SecretSetFinding("EffectiveSetUndetermined", FindingSeverity.Warning,
                        $"Your user set {userSet.Id} and the {other.Location.Level.ToString().ToLowerInvariant()} set {other.Id} both reach {repository.FullName}; GitHub documents no order between user secrets and the others, so which values a codespace gets is not known.",
                        $"Rename one of the sets, or remove {repository.FullName} from the repositories of your user set."));
                }
                return;
            }
            (userSet ?? other)!.Set.IsEffective = true;
        }
    }
}
