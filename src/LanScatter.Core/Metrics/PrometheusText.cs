using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace LanScatter.Core.Metrics;

/// <summary>
/// Writes one meter's observable instruments in the Prometheus text exposition format (0.0.4):
/// counters as <c>NAME_total</c>, gauges as they are, a <c>HELP</c> and <c>TYPE</c> line each.
/// (prometheus-net exports System.Diagnostics.Metrics only on .NET 6+, and the module also runs
/// in Windows PowerShell on netstandard2.0; a MeterListener works on both.)
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(Meter meter)
    {
        var samples = new List<(Instrument Instrument, long Value, KeyValuePair<string, object?>[] Tags)>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter)) l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => samples.Add((instrument, value, tags.ToArray())));
            listener.Start();
            listener.RecordObservableInstruments();
        }
        var text = new StringBuilder();
        foreach (var family in samples.GroupBy(s => s.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var instrument = family.Key;
            bool counter = instrument.GetType().Name.StartsWith("ObservableCounter", StringComparison.Ordinal);
            var name = counter ? instrument.Name + "_total" : instrument.Name;
            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(instrument.Description ?? "")).Append('\n');
            text.Append("# TYPE ").Append(name).Append(counter ? " counter" : " gauge").Append('\n');
            foreach (var sample in family)
            {
                text.Append(name);
                if (sample.Tags.Length > 0)
                {
                    text.Append('{');
                    for (int i = 0; i < sample.Tags.Length; i++)
                    {
                        if (i > 0) text.Append(',');
                        text.Append(sample.Tags[i].Key).Append("=\"").Append(EscapeLabel(Convert.ToString(sample.Tags[i].Value, CultureInfo.InvariantCulture) ?? "")).Append('"');
                    }
                    text.Append('}');
                }
                text.Append(' ').Append(sample.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static string EscapeLabel(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static string EscapeHelp(string value) => value.Replace("\\", "\\\\").Replace("\n", "\\n");
}
