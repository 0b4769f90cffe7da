delete from review_decisions;
