SELECT client_ip, {{iso-seconds column=start_t}} AS burst_start, {{iso-seconds column=end_t}} AS burst_end, failures, peak_in_window,
       intDiv(end_t - start_t + 3, 6) / 10 AS minutes, users_tried, usernames
FROM {{bursts}}
ORDER BY failures DESC, burst_start
