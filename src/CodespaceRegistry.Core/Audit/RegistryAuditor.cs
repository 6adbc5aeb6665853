using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.Devcontainer;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Audit
{
    /// <summary>A repository to audit: its folder, its <c>owner/name</c>, and the references its dev containers pull.</summary>
    public sealed class AuditedRepository
    {
        /// <param name="root">The folder that <see cref="RegistryAuditResult.File"/> is made relative to.</param>
        /// <param name="references">In scan order; a reference named twice (same kind and image) is audited once, at its first place.</param>
        public AuditedRepository(string root, string repository, IEnumerable<RegistryReference> references)
        {
            Root = Path.GetFullPath(root);
            Repository = repository;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            References = references.Where(r => seen.Add(KindOf(r) + " " + r.ImageReference.FullName)).ToList();
        }

        public string Root { get; }

        public string Repository { get; }

        public IReadOnlyList<RegistryReference> References { get; }

        internal static AuditSubjectKind KindOf(RegistryReference reference) =>
            reference.Kind == RegistryReferenceKind.Feature ? AuditSubjectKind.Feature : AuditSubjectKind.Image;
    }

    /// <summary>
    /// Audits what a codespace of a repository needs from registries, in one pass: each secret set in the environment
    /// (the diagnosis's SecretSet check), and each image and Feature its dev containers pull — the package access
    /// decision (<see cref="PackageAccessResolver"/>, which also says whether a set covers it) and, with a tester,
    /// the pull check a codespace would make (<see cref="RegistryAccessTester"/>, which picks the set for each
    /// registry). Results come in a fixed order: sets by name, then each repository's references in scan order.
    /// </summary>
    public sealed class RegistryAuditor
    {
        private readonly PackageAccessResolver _resolver;
        private readonly RegistryAccessTester? _tester;
        private readonly int _throttleLimit;

        /// <param name="tester">Makes the pull checks; null for an offline audit (-SkipPull).</param>
        public RegistryAuditor(PackageAccessResolver resolver, RegistryAccessTester? tester, int throttleLimit)
        {
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit), "The throttle limit must be at least 1.");
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            _tester = tester;
            _throttleLimit = throttleLimit;
        }

        public async Task<IReadOnlyList<RegistryAuditResult>> AuditAsync(IReadOnlyList<RegistrySecretSet> sets, IReadOnlyList<AuditedRepository> repositories, CancellationToken cancellationToken)
        {
            var results = sets.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(AuditSecretSet).ToList();
            var subjects = repositories.SelectMany(r => r.References.Select(reference => (Repository: r, Reference: reference))).ToList();

            // The decisions (a GitHub call per distinct package and repository at most), then the pulls a codespace would make.
            var gate = new SemaphoreSlim(_throttleLimit);
            var decisions = await Task.WhenAll(subjects.Select(async s =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try { return await DecideAsync(s.Repository, s.Reference, sets, cancellationToken).ConfigureAwait(false); }
                finally { gate.Release(); }
            })).ConfigureAwait(false);

            var reports = new Task<RegistryAccessReport>?[subjects.Count];
            if (_tester != null)
            {
                // A package a codespace pulls with its own token (Seamless) is not pulled here: these credentials are not its.
                var pulled = Enumerable.Range(0, subjects.Count).Where(i => decisions[i].Decision?.Outcome != PackageAccessOutcome.Seamless).ToList();
                var tasks = _tester.StartAll(pulled.Select(i => RegistryAccessTarget.ForImageAsCodespace(subjects[i].Reference.ImageReference, sets)), push: false, _throttleLimit, cancellationToken);
                for (var n = 0; n < pulled.Count; n++) reports[pulled[n]] = tasks[n];
            }

            var lines = new SourceLines();
            for (var i = 0; i < subjects.Count; i++)
            {
                var (repository, reference) = subjects[i];
                var report = reports[i] == null ? null : await reports[i]!.ConfigureAwait(false);
                var result = Judge(reference, decisions[i].Decision, decisions[i].Error, report);
                result.Repository = repository.Repository;
                result.Root = repository.Root;
                result.File = Relative(repository.Root, reference.File);
                result.Line = reference.Line;
                result.Column = lines.ColumnOf(reference.File, reference.Line, reference.Reference);
                result.Configuration = Relative(repository.Root, Path.Combine(reference.Root, reference.Configuration));
                result.Decision = decisions[i].Decision;
                result.SettingsUrl = decisions[i].Decision?.SettingsUrl;
                result.Report = report;
                results.Add(result);
            }
            return results;
        }

        /// <summary>A set as the diagnosis's SecretSet check sees it: errors and an incomplete set fail, warnings warn.</summary>
        public static RegistryAuditResult AuditSecretSet(RegistrySecretSet set)
        {
            var check = RegistryAccessTester.SetCheck(set);
            var status = check.Status switch
            {
                CheckStatus.Failed => AuditStatus.Failed,
                CheckStatus.Warning => AuditStatus.Warning,
                _ => AuditStatus.Passed,
            };
            return new RegistryAuditResult(set.Name, AuditSubjectKind.SecretSet, status, check.ErrorId ?? AuditRules.SecretSetValid.Id, check.Detail, check.Remediation);
        }

        private async Task<(PackageAccessDecision? Decision, RegistryException? Error)> DecideAsync(AuditedRepository repository, RegistryReference reference, IReadOnlyList<RegistrySecretSet> sets, CancellationToken cancellationToken)
        {
            try
            {
                var request = new PackageAccessRequest(PackageReference.Parse(reference.Reference), repository.Repository) { SecretSets = sets };
                return (await _resolver.ResolveAsync(request, cancellationToken).ConfigureAwait(false), null);
            }
            catch (RegistryException e)
            {
                return (null, e);
            }
        }

        /// <summary>
        /// The pull check decides when it ran (it is what a codespace does); otherwise the package access decision:
        /// allowed passes, unknown is undetermined, a missing grant or an unproved anonymous pull warns, the rest fails.
        /// </summary>
        private static RegistryAuditResult Judge(RegistryReference reference, PackageAccessDecision? decision, RegistryException? error, RegistryAccessReport? report)
        {
            var kind = AuditedRepository.KindOf(reference);
            var subject = reference.Reference;
            if (decision == null) return new RegistryAuditResult(subject, kind, AuditStatus.Failed, error!.ErrorId, error.Message, "");

            var decisionFix = decision.IsAllowed == true ? "" : decision.Fix + (decision.SettingsUrl != null ? " (" + decision.SettingsUrl + ")" : "");
            if (report != null)
            {
                var failure = report.FirstFailure;
                if (failure != null)
                {
                    return new RegistryAuditResult(subject, kind, AuditStatus.Failed, failure.ErrorId ?? failure.Name,
                        $"{failure.Name} failed{With(report)}: {failure.Detail}", Join(failure.Remediation, decisionFix));
                }
                var warning = report.Checks.FirstOrDefault(c => c.Status == CheckStatus.Warning);
                var pull = report[RegistryAccessCheck.Pull]?.Detail ?? "";
                if (warning != null)
                {
                    return new RegistryAuditResult(subject, kind, AuditStatus.Warning, warning.ErrorId ?? warning.Name,
                        $"{pull} {warning.Name}: {warning.Detail}".Trim(), warning.Remediation);
                }
                return new RegistryAuditResult(subject, kind, AuditStatus.Passed, "PullAllowed", $"A codespace pulls it{With(report)}: {pull}", "");
            }

            var status = decision.Outcome switch
            {
                PackageAccessOutcome.Public or PackageAccessOutcome.Seamless or PackageAccessOutcome.CoveredBySecretSet => AuditStatus.Passed,
                PackageAccessOutcome.Undetermined => AuditStatus.Undetermined,
                PackageAccessOutcome.NeedsGrant => AuditStatus.Warning,
                PackageAccessOutcome.NeedsSecretSet when decision.Rule == PackageAccessRule.NoSecretSetForServer => AuditStatus.Warning,
                _ => AuditStatus.Failed,
            };
            return new RegistryAuditResult(subject, kind, status, decision.Rule, decision.Reason, decisionFix);
        }

        private static string With(RegistryAccessReport report) => report.CredentialSource switch
        {
            AccessCredentialSource.SecretSet => " with secret set " + report.SecretSet,
            AccessCredentialSource.Credential => " as " + report.User,
            _ => " anonymously",
        };

        private static string Join(string first, string second) =>
            first.Length == 0 ? second : second.Length == 0 || first.Contains(second) ? first : first + " " + second;

        private static string Relative(string root, string path)
        {
            var full = Path.GetFullPath(path);
            var prefix = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
            return (full.StartsWith(prefix, StringComparison.Ordinal) ? full.Substring(prefix.Length) : full).Replace(Path.DirectorySeparatorChar, '/');
        }

        /// <summary>Columns of references in the files that name them; each file read once.</summary>
        private sealed class SourceLines
        {
            private readonly Dictionary<string, string[]> _files = new Dictionary<string, string[]>(StringComparer.Ordinal);

            /// <summary>Where <paramref name="text"/> starts on the line (from 1), else where the line's text starts; 1 when unreadable.</summary>
            public int ColumnOf(string file, int line, string text)
            {
                if (!_files.TryGetValue(file, out var lines))
                {
                    try { lines = (LocalFile.ReadText(file, file, "AuditSourceUnreadable") ?? "").Split('\n'); }
                    catch (RegistryException) { lines = Array.Empty<string>(); }
                    _files[file] = lines;
                }
                if (line < 1 || line > lines.Length) return 1;
                var content = lines[line - 1];
                var at = content.IndexOf(text, StringComparison.Ordinal);
                if (at < 0) at = content.Length - content.TrimStart().Length;
                return at + 1;
            }
        }
    }
}
