package dev.rewind.it.programs;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** java.time values (fixed, never the clock): dates, times, zones with rules, durations, periods and a formatter kept across checkpoints. */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P33_JavaTime {
    static ZonedDateTime meeting = ZonedDateTime.of(2024, 3, 30, 23, 30, 0, 0, ZoneId.of("Europe/Paris"));

    public static void main(String[] args) {
        int w = Ck.work();
        LocalDate date = LocalDate.of(2024, 2, 27);
        LocalDateTime ldt = LocalDateTime.of(2023, 12, 31, 22, 15, 30, 123_456_789);
        Instant instant = Instant.ofEpochSecond(1_700_000_000L, 42);
        Duration duration = Duration.ofMillis(1500);
        Period period = Period.of(0, 1, 3);
        ZoneOffset offset = ZoneOffset.ofHoursMinutes(5, 30);
        ZoneId utc = ZoneId.of("UTC");
        YearMonth ym = YearMonth.of(2024, 1);
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss EEE", Locale.ROOT);
        LocalTime time = LocalTime.of(23, 59, 58);
        for (int round = 0; round < 6 * w; round++) {
            Ck.log("round " + round + " date=" + date + " ldt=" + fmt.format(ldt) + " instant=" + instant + " duration=" + duration
                    + " period=" + period + " meeting=" + meeting + " ym=" + ym + " time=" + time);
            Ck.point("P33 round " + round);
            date = date.plusDays(1);
            ldt = ldt.plus(duration).plusMinutes(round);
            instant = instant.plus(duration.multipliedBy(round + 1));
            duration = duration.plusSeconds(round).plusNanos(999);
            period = period.plusDays(round % 3).normalized();
            meeting = meeting.plusHours(7);
            ym = ym.plusMonths(1);
            time = time.plusSeconds(1);
            if (date.getYear() > 2030) {
                date = LocalDate.of(2024, 2, 27);
            }
            if (duration.getSeconds() > 86_400) {
                duration = Duration.ofMillis(1500 + round % 1000);
            }
            if (instant.getEpochSecond() > 4_000_000_000L) {
                instant = Instant.ofEpochSecond(1_700_000_000L, round % 1000);
            }
            if (ldt.getYear() > 2100) {
                ldt = LocalDateTime.of(2023, 12, 31, 22, 15, 30, round);
            }
            if (meeting.getYear() > 2100) {
                meeting = ZonedDateTime.of(2024, 3, 30, 23, 30, 0, 0, ZoneId.of("Europe/Paris"));
            }
            if (ym.getYear() > 2100) {
                ym = YearMonth.of(2024, 1);
            }
            DayOfWeek dow = date.getDayOfWeek();
            Ck.log("after " + round + " dow=" + dow + " weekend=" + (dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY)
                    + " leap=" + date.isLeapYear() + " meetingOffset=" + meeting.getOffset() + " atOffset="
                    + ldt.atOffset(offset) + " inUtc=" + meeting.withZoneSameInstant(utc)
                    + " between=" + ChronoUnit.DAYS.between(LocalDate.of(2024, 1, 1), date) + " plusPeriod=" + date.plus(period));
        }
        Ck.done("date=" + date + " ldt=" + ldt + " instant=" + instant + " duration=" + duration + " period=" + period
                + " meeting=" + meeting + " ym=" + ym + " formatted=" + fmt.format(meeting) + " time=" + time);
    }
}
