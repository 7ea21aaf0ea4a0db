package io.wavegate.policy;

import io.wavegate.api.UpdateWindow;
import io.wavegate.api.WindowType;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A weekly window resolved: days it starts on, start and end time of day, its time zone. Local times
 * map to instants by the zone's rules of that day, so a window follows daylight-saving changes: a start
 * inside a spring-forward gap moves later by the gap, one in an autumn overlap takes the earlier offset.
 */
public record Window(WindowType type, Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {

  /** Resolves the CRD's window; an unknown time zone, day or time is an {@link IllegalArgumentException}. */
  public static Window of(UpdateWindow spec) {
    if (spec.getType() == null) {
      throw new IllegalArgumentException("a window needs a type, Allow or Deny");
    }
    Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
    if (spec.getDays() != null && !spec.getDays().isEmpty()) {
      days = EnumSet.noneOf(DayOfWeek.class);
      for (String day : spec.getDays()) {
        days.add(day(day));
      }
    }
    try {
      ZoneId zone = spec.getTimeZone() == null || spec.getTimeZone().isBlank() ? ZoneId.of("UTC")
          : ZoneId.of(spec.getTimeZone());
      return new Window(spec.getType(), days, LocalTime.parse(spec.getStart()), LocalTime.parse(spec.getEnd()), zone);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("window times must be HH:MM or HH:MM:SS, got start " + spec.getStart()
          + " and end " + spec.getEnd());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone " + spec.getTimeZone() + " (use an IANA name such as"
          + " Europe/Berlin)");
    }
  }

  private static DayOfWeek day(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (DayOfWeek day : DayOfWeek.values()) {
      String name = day.name().toLowerCase(Locale.ROOT);
      if (name.equals(lower) || name.substring(0, 3).equals(lower)) {
        return day;
      }
    }
    throw new IllegalArgumentException("unknown day " + text + " (mon..sun or monday..sunday)");
  }

  /** The window's occurrences that overlap [from, to), in order. */
  public List<Interval> occurrences(Instant from, Instant to) {
    List<Interval> found = new ArrayList<>();
    LocalDate day = from.atZone(zone).toLocalDate().minusDays(1);
    LocalDate last = to.atZone(zone).toLocalDate();
    for (; !day.isAfter(last); day = day.plusDays(1)) {
      if (!days.contains(day.getDayOfWeek())) {
        continue;
      }
      Instant opens = ZonedDateTime.of(day, start, zone).toInstant();
      Instant closes = ZonedDateTime.of(end.isAfter(start) ? day : day.plusDays(1), end, zone).toInstant();
      if (closes.isAfter(from) && opens.isBefore(to) && closes.isAfter(opens)) {
        found.add(new Interval(opens, closes));
      }
    }
    return found;
  }
}
