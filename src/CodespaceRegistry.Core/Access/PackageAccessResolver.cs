using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// Answers <see cref="PackageAccessRequest"/>s: reads the facts the rules need (once per package and repository)
    /// and lets <see cref="PackageAccessRules"/> decide. A fact that cannot be read makes the decision undetermined,
    /// with the reason; it never fails the request.
    /// </summary>
    public sealed class PackageAccessResolver
    {
        private readonly IPackageFactsSource? _source;
        private readonly string _noSource;
        private readonly Dictionary<string, Task<(PackageFacts?, string?)>> _packages = new Dictionary<string, Task<(PackageFacts?, string?)>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Task<RepositoryFacts?>> _repositories = new Dictionary<string, Task<RepositoryFacts?>>(StringComparer.OrdinalIgnoreCase);

        /// <param name="source">Where facts come from; null when there is no GitHub token.</param>
        /// <param name="noSource">Why there is no source, for the decisions' Facts.Unavailable.</param>
        public PackageAccessResolver(IPackageFactsSource? source, string noSource = "No GitHub token was given, so the packages API was not asked.")
        {
            _source = source;
            _noSource = noSource;
        }

        public async Task<PackageAccessDecision> ResolveAsync(PackageAccessRequest request, CancellationToken cancellationToken)
        {
            var target = request.Package;
            if (!target.HasGranularPermissions || request.Operation == PackageOperation.Publish)
                return PackageAccessRules.Decide(request, null, null, null);
            if (_source == null) return PackageAccessRules.Decide(request, null, null, _noSource);

            var (package, unavailable) = await Cached(_packages, $"{target.PackageType}/{target.Owner}/{target.Name}", () => PackageAsync(target, cancellationToken)).ConfigureAwait(false);
            var repository = await Cached(_repositories, request.Repository, () => RepositoryAsync(request.Repository, cancellationToken)).ConfigureAwait(false);
            return PackageAccessRules.Decide(request, package, repository, unavailable);
        }

        private static Task<T> Cached<T>(Dictionary<string, Task<T>> cache, string key, Func<Task<T>> load)
        {
            lock (cache)
            {
                if (!cache.TryGetValue(key, out var task)) cache[key] = task = load();
                return task;
            }
        }

        private async Task<(PackageFacts?, string?)> PackageAsync(PackageReference target, CancellationToken cancellationToken)
        {
            try
            {
                var facts = await _source!.GetPackageAsync(target.Owner!, target.PackageType!, target.Name!, cancellationToken).ConfigureAwait(false);
                return facts != null ? (facts, null)
                    : (null, $"The packages API knows no {target.PackageType} package {target.Name} of {target.Owner}, or the token may not see it.");
            }
            catch (RegistryException e)
            {
                return (null, "The packages API could not be asked: " + e.Message);
            }
        }

        private async Task<RepositoryFacts?> RepositoryAsync(string repository, CancellationToken cancellationToken)
        {
            try
            {
                return await _source!.GetRepositoryAsync(repository, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException)
            {
                return null;
            }
        }
    }
}
