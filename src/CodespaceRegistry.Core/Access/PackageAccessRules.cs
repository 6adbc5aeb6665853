using System;
using System.Collections.Generic;
using System.Linq;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// The Codespaces package access rules (DESIGN.md §1), tried in order: facts in, decision out, nothing assumed.
    /// What the API cannot tell (grants, "inherit access") comes from the request or leaves the decision
    /// undetermined, with the settings page to check.
    /// </summary>
    public static class PackageAccessRules
    {
        private const string NothingToDo = "Nothing to do.";

        /// <param name="package">The package facts from the API, or null when they could not be read.</param>
        /// <param name="repository">The repository facts from the API, or null when they could not be read.</param>
        /// <param name="unavailable">Why the package facts are missing (no token, not found, ...), or null.</param>
        public static PackageAccessDecision Decide(PackageAccessRequest request, PackageFacts? package, RepositoryFacts? repository, string? unavailable)
        {
            var target = request.Package;
            var facts = new PackageAccessFacts
            {
                Registry = target.Registry.Host,
                RegistryKind = target.Registry.Kind,
                PackageOwner = package?.Owner ?? target.Owner,
                PackageVisibility = package?.Visibility,
                LinkedRepository = package?.Repository ?? target.Repository,
                RepositoryOwner = repository?.Owner ?? request.RepositoryOwner,
                RepositoryVisibility = repository?.Visibility,
                InheritAccess = request.InheritAccess,
                Granted = request.IsGranted,
                Unavailable = package == null ? unavailable : null,
            };
            var decide = new Deciding(request, facts, package, repository);
            return target.IsGitHubPackages ? decide.GitHubPackages() : decide.OtherRegistry();
        }

        private sealed class Deciding
        {
            private readonly PackageAccessRequest _request;
            private readonly PackageAccessFacts _facts;
            private readonly PackageFacts? _package;
            private readonly RepositoryFacts? _repository;
            private readonly PackageReference _target;
            private readonly List<RegistrySecretSet> _covering;
            private readonly List<RegistrySecretSet> _incomplete;
            private readonly List<RegistrySecretSet> _unreadable;

            public Deciding(PackageAccessRequest request, PackageAccessFacts facts, PackageFacts? package, RepositoryFacts? repository)
            {
                _request = request;
                _facts = facts;
                _package = package;
                _repository = repository;
                _target = request.Package;
                var match = SecretSetMatch.For(request.SecretSets, _target.Registry);
                // A set with an error finding (a space pasted into PASSWORD, ...) names the server but does not log in.
                _covering = match.Complete.Where(s => s.IsValid).ToList();
                _incomplete = match.Incomplete.Concat(match.Complete.Where(s => !s.IsValid)).ToList();
                // Sets listed through the API: complete, reaching the repository and not shadowed, but their SERVER unknown.
                _unreadable = request.SecretSets.Where(s => s.Server == null && s.Level != SecretLevel.Environment &&
                                                            s.IsComplete && s.AppliesToRepository != false && s.IsEffective != false).ToList();
            }

            private string Host => _target.Registry.Host;

            private string SecretsUrl => $"https://github.com/{_request.Repository}/settings/secrets/codespaces";

            private PackageAccessDecision Decision(PackageAccessOutcome outcome, string rule, string reason, string fix, string? url, IEnumerable<RegistrySecretSet>? sets = null) =>
                new PackageAccessDecision(_target.Input, _request.Repository, _request.Operation, outcome, rule, reason, fix, url, _facts,
                    (sets ?? Enumerable.Empty<RegistrySecretSet>()).Select(s => s.Name).ToList());

            public PackageAccessDecision GitHubPackages()
            {
                if (_request.Operation == PackageOperation.Publish)
                {
                    const string why = "A codespace's own token is for pulls only; publishing to GitHub Packages needs a personal access token (classic) with write:packages.";
                    if (_covering.Count > 0)
                    {
                        return Decision(PackageAccessOutcome.CoveredBySecretSet, PackageAccessRule.SecretSetForServer,
                            $"{why} The set {Names(_covering)} logs the codespace in to {Host}.",
                            "Make sure the set's PASSWORD is a personal access token (classic) with write:packages; publishing from GitHub Actions is the recommended way.",
                            SecretsUrl, _covering);
                    }
                    return WithUnreadableSets(Decision(PackageAccessOutcome.NeedsClassicPat, PackageAccessRule.PublishNeedsClassicPat, why,
                        $"Publish from GitHub Actions (recommended), or create a personal access token (classic) with write:packages and store it as a registry secret set for {Host} (SERVER {Host}, USER your GitHub login, PASSWORD the token), then stop and start the codespace.",
                        "https://github.com/settings/tokens/new?scopes=write:packages"));
                }

                if (!_target.HasGranularPermissions)
                {
                    return Decision(PackageAccessOutcome.NeedsClassicPat, PackageAccessRule.RepositoryScopedRegistry,
                        $"{Host} is repository-scoped: its packages follow the permissions of {_target.Repository}, cannot be granted to other repositories, and are not pulled seamlessly by a codespace.",
                        $"Create a personal access token (classic) with read:packages from an account that can read {_target.Repository}, store it as a Codespaces secret and use it in the build tool's settings" +
                        (_target.PackageType == "docker" ? $"; better, move the image to ghcr.io/{_target.Owner}/{_target.Name}." : "."),
                        $"https://github.com/{_target.Repository}/settings/access");
                }

                var settings = PackageSettingsUrl();
                if (_package == null)
                {
                    return Uncovered(PackageAccessOutcome.Undetermined, PackageAccessRule.PackageFactsUnavailable,
                        $"{_facts.Unavailable ?? "The package facts were not read."} Without the package's visibility and linked repository no rule can decide."
                            + (_request.InheritAccess != null || _request.GrantedRepositories != null
                                ? " What you said about inherited access and granted repositories was not used: it decides only once the package's visibility and linked repository are known."
                                : ""),
                        "Run again with -Token (a token with read:packages that can see the package), or check the package's visibility and access settings by hand.",
                        settings);
                }
                if (_package.Visibility == Visibility.Public)
                {
                    return Decision(PackageAccessOutcome.Public, PackageAccessRule.PublicPackage, "The package is public: anyone can pull it.", NothingToDo, settings);
                }

                var granted = _facts.Granted == true;
                var sameOwner = string.Equals(_package.Owner, _request.RepositoryOwner, StringComparison.OrdinalIgnoreCase);
                var internalReaches = _package.Visibility == Visibility.Internal && sameOwner && _repository != null && _repository.Visibility != Visibility.Public;
                var sameRepository = _package.Repository != null && string.Equals(_package.Repository, _request.Repository, StringComparison.OrdinalIgnoreCase);
                if (sameRepository)
                {
                    if (_request.InheritAccess == true || granted)
                    {
                        return granted && _request.InheritAccess != true
                            ? Granted(settings)
                            : Decision(PackageAccessOutcome.Seamless, PackageAccessRule.SameRepository,
                                $"The package was published from {_request.Repository} and inherits its access: the codespace pulls it with its own token.", NothingToDo, settings);
                    }
                    if (_request.InheritAccess == null && !internalReaches)
                    {
                        return Uncovered(PackageAccessOutcome.Undetermined, PackageAccessRule.InheritAccessUnknown,
                            $"The package was published from {_request.Repository}: the codespace pulls it seamlessly only if \"Inherit access from source repository\" is selected, which the API does not show (it is selected by default when publishing from GitHub Actions, not with a personal access token).",
                            "Check \"Inherit access from source repository\" in the package settings, then run again with -InheritAccess or -InheritAccess:$false.",
                            settings);
                    }
                    if (!internalReaches)
                    {
                        return Uncovered(PackageAccessOutcome.NeedsGrant, PackageAccessRule.InheritAccessOff,
                            $"The package was published from {_request.Repository} but does not inherit its access, so the codespace's token does not reach it.",
                            $"In the package settings select \"Inherit access from source repository\", or add {_request.Repository} under \"Manage Codespaces access\".",
                            settings);
                    }
                }

                if (!sameOwner)
                {
                    return Uncovered(PackageAccessOutcome.NeedsSecretSet, PackageAccessRule.OtherOwner,
                        $"The package belongs to {_package.Owner} and the repository to {_request.RepositoryOwner}: a package's settings grant access only to repositories of its own owner, and seamless access stays inside it.",
                        $"Create a personal access token (classic) with read:packages from an account that can read the package and store it as a registry secret set for {Host} (SERVER {Host}, USER that account's login, PASSWORD the token), then stop and start the codespace.",
                        SecretsUrl);
                }

                if (_repository == null)
                {
                    return Uncovered(PackageAccessOutcome.Undetermined, PackageAccessRule.PackageFactsUnavailable,
                        $"The visibility of {_request.Repository} could not be read, and a public repository reaches a {Lower(_package.Visibility)} package only when granted explicitly.",
                        "Run again with -Token (a token that can read the repository).",
                        settings);
                }
                if (_repository.Visibility == Visibility.Public)
                {
                    if (granted) return Granted(settings);
                    return Uncovered(PackageAccessOutcome.NeedsGrant, PackageAccessRule.PublicRepositoryNeedsGrant,
                        $"{_request.Repository} is public and the package is {Lower(_package.Visibility)}: to prevent leaks, a codespace of a public repository reaches it only when the package's settings grant that repository access (which the API cannot show).",
                        $"Add {_request.Repository} under \"Manage Codespaces access\" in the package settings (if it is there already, run again with -GrantedRepository {_request.Repository}), or make the package public.",
                        settings);
                }
                if (_package.Visibility == Visibility.Internal)
                {
                    return Decision(PackageAccessOutcome.Seamless, PackageAccessRule.InternalPackage,
                        $"The package is internal to {_package.Owner} and {_request.Repository} is not public: every codespace of the organization pulls it.", NothingToDo, settings);
                }
                if (granted) return Granted(settings);
                return Uncovered(PackageAccessOutcome.NeedsGrant, PackageAccessRule.PrivatePackageNeedsGrant,
                    $"The package is private and " + (_package.Repository == null ? "linked to no repository" : $"linked to {_package.Repository}") +
                    $": {_request.Repository} reaches it only when the package's settings grant it access (which the API cannot show).",
                    $"Add {_request.Repository} under \"Manage Codespaces access\" in the package settings; if it is there already, run again with -GrantedRepository {_request.Repository}.",
                    settings);
            }

            private PackageAccessDecision Granted(string url) =>
                Decision(PackageAccessOutcome.Seamless, PackageAccessRule.ExplicitGrant,
                    $"The package's settings grant {_request.Repository} access (as given with -GrantedRepository): the codespace pulls it with its own token.", NothingToDo, url);

            /// <summary>A GitHub rule's outcome unless a readable set for the server takes over (the codespace then logs in with it).</summary>
            private PackageAccessDecision Uncovered(PackageAccessOutcome outcome, string rule, string reason, string fix, string url)
            {
                if (_covering.Count == 0) return WithUnreadableSets(Decision(outcome, rule, reason, fix, url));
                return Decision(PackageAccessOutcome.CoveredBySecretSet, PackageAccessRule.SecretSetForServer,
                    $"The set {Names(_covering)} logs the codespace in to {Host}. Without it: {reason}",
                    "Make sure the set's PASSWORD is a personal access token (classic) with read:packages from an account that can read the package.",
                    url, _covering);
            }

            private PackageAccessDecision WithUnreadableSets(PackageAccessDecision decision)
            {
                if (_unreadable.Count == 0) return decision;
                return new PackageAccessDecision(decision.Package, decision.Repository, decision.Operation, decision.Outcome, decision.Rule,
                    decision.Reason + $" The sets {Names(_unreadable)} might name {Host}; their values cannot be read through the API.",
                    decision.Fix, decision.SettingsUrl, decision.Facts, _unreadable.Select(s => s.Name).ToList());
            }

            private static string WhyUnusable(RegistrySecretSet set) =>
                set.Findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error) is SecretSetFinding error
                    ? $"{set.Name}: {error.Id}"
                    : $"{set.Name} lacks one of its three secrets";

            public PackageAccessDecision OtherRegistry()
            {
                var verb = _request.Operation == PackageOperation.Publish ? "push to" : "pull from";
                if (_covering.Count > 0)
                {
                    return Decision(PackageAccessOutcome.CoveredBySecretSet, PackageAccessRule.SecretSetForServer,
                        $"The set {Names(_covering)} names {Host}: the codespace logs in with it before the build.",
                        $"Nothing to do, if the set's user may {verb} {_target.Image?.Repository ?? _target.Input}; Test-RegistryAccess checks it.",
                        SecretsUrl, _covering);
                }
                if (_request.Operation == PackageOperation.Pull && IsPublicRegistry())
                {
                    return Decision(PackageAccessOutcome.Public, PackageAccessRule.PublicRegistry,
                        $"{Host} serves {_target.Image?.Repository} to anyone without a login.", NothingToDo, null);
                }
                var create = $"Create the secrets <ID>_CONTAINER_REGISTRY_SERVER = {ServerValue()}, <ID>_CONTAINER_REGISTRY_USER and <ID>_CONTAINER_REGISTRY_PASSWORD at user, repository or organization level, then stop and start the codespace.";
                if (_incomplete.Count > 0)
                {
                    return Decision(PackageAccessOutcome.NeedsSecretSet, PackageAccessRule.IncompleteSecretSet,
                        $"The set {Names(_incomplete)} names {Host} but the codespace cannot log in with it: {string.Join("; ", _incomplete.Select(WhyUnusable))}.",
                        $"Fix {Names(_incomplete)} as its Findings say ((Get-RegistrySecretSet -Name {_incomplete[0].Name}).Findings), then stop and start the codespace.",
                        SecretsUrl, _incomplete);
                }
                if (_unreadable.Count > 0)
                {
                    return Decision(PackageAccessOutcome.Undetermined, PackageAccessRule.SecretSetValuesUnreadable,
                        $"No readable set names {Host}; the sets {Names(_unreadable)} might, but their values cannot be read through the API.",
                        $"Check that one of {Names(_unreadable)} has SERVER {ServerValue()} (run Resolve-PackageAccess inside the codespace, where the values are environment variables), or: {create}",
                        SecretsUrl, _unreadable);
                }
                return Decision(PackageAccessOutcome.NeedsSecretSet, PackageAccessRule.NoSecretSetForServer,
                    $"No registry secret set names {Host}, so the codespace does not log in to it.",
                    (_request.Operation == PackageOperation.Pull ? "If the image is public no set is needed (Test-RegistryAccess checks anonymous access). Otherwise: " : "") + create,
                    SecretsUrl);
            }

            private bool IsPublicRegistry() =>
                _target.Registry.Kind == RegistryKind.AmazonEcrPublic ||
                _target.Registry.Host == "mcr.microsoft.com" ||
                (_target.Registry.Kind == RegistryKind.DockerHub && _target.Image?.Repository.StartsWith("library/", StringComparison.Ordinal) == true);

            /// <summary>The SERVER value to write: what the Codespaces docs give (https://index.docker.io/v1/ for Docker Hub).</summary>
            private string ServerValue() => _target.Registry.Kind == RegistryKind.DockerHub ? RegistryServer.DockerHubConfigKey : Host;

            /// <summary>
            /// https://github.com/orgs/ORG/packages/TYPE/NAME/settings or users/USER/...: the owner's kind from the package
            /// facts, else from the repository facts when it is the same owner, else an organization.
            /// </summary>
            private string PackageSettingsUrl()
            {
                var owner = _package?.Owner ?? _target.Owner!;
                var isOrganization = _package?.OwnerIsOrganization
                    ?? (_repository != null && string.Equals(_repository.Owner, owner, StringComparison.OrdinalIgnoreCase) ? _repository.OwnerIsOrganization : true);
                return $"https://github.com/{(isOrganization ? "orgs" : "users")}/{owner}/packages/{_target.PackageType}/{Uri.EscapeDataString(_target.Name!)}/settings";
            }

            private static string Names(IEnumerable<RegistrySecretSet> sets) => string.Join(", ", sets.Select(s => s.Name));

            private static string Lower(Visibility visibility) => visibility.ToString().ToLowerInvariant();
        }
    }
}
